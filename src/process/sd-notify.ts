import { monotonicMs } from "./monotonic.js";
import type { Outcome } from "../core/outcome.js";
import { sendDatagram, type SendDatagram } from "./datagram-socket.js";

/**
 * Lifeguard's side of systemd's notify protocol (sd_notify(3)): one datagram of newline-separated
 * `KEY=value` lines to $NOTIFY_SOCKET, sent from Lifeguard's own process so that its unit can say
 * `NotifyAccess=main` (a helper such as `systemd-notify` would need `NotifyAccess=all`, which lets
 * any process of the unit keep a hung Lifeguard looking alive).
 */
export interface SystemdNotifier {
  /** $NOTIFY_SOCKET as systemd passed it: a path, or `@name` in the abstract namespace. */
  readonly socket: string;
  /** `READY=1`: start-up (or a reload) is complete. */
  ready(): Outcome;
  /** `WATCHDOG=1`: the keep-alive ping. Send it from the loop whose progress it vouches for. */
  watchdog(): Outcome;
  /** `STATUS=…`: one line for `systemctl status`; newlines become spaces, a long text is cut to fit a datagram. */
  status(text: string): Outcome;
  /** `STOPPING=1`: shutting down. */
  stopping(): Outcome;
  /** `RELOADING=1` with `MONOTONIC_USEC=` (which `Type=notify-reload` requires, systemd 253+); send `ready()` when done. */
  reloading(): Outcome;
  /**
   * How often to send `WATCHDOG=1`: half of $WATCHDOG_USEC, as sd_watchdog_enabled(3) recommends.
   * null when systemd expects no pings from this process ($WATCHDOG_USEC unset or invalid, or
   * $WATCHDOG_PID naming another process).
   */
  watchdogIntervalMs(): number | null;
}

export interface SystemdNotifierOptions {
  /** This process's pid, compared with $WATCHDOG_PID (default `process.pid`). */
  pid?: number;
  /** The datagram sender (default: the native addon's). */
  send?: SendDatagram;
  /** CLOCK_MONOTONIC in µs, for `MONOTONIC_USEC=` (default: `process.hrtime`, which reads that clock). */
  monotonicUsec?: () => bigint;
  /** Called with every failed send, besides returning it. */
  onFailure?: (outcome: Outcome) => void;
}

/** The environment systemd passes for the protocol; a supervisor strips them from its children's environment. */
export const SYSTEMD_NOTIFY_VARIABLES = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] as const;

/** systemd (252) drops a notification of more than this many bytes whole (NOTIFY_BUFFER_MAX, PIPE_BUF). */
export const NOTIFY_MESSAGE_MAX_BYTES = 4096;
const STATUS_PREFIX = "STATUS=";
const LABEL_MAX_CHARS = 60;

/**
 * A notifier for the socket in `env.NOTIFY_SOCKET`, or null when it is unset (not started by
 * systemd as `Type=notify`, or `NotifyAccess=none`). The environment is read once, here.
 */
export function createSystemdNotifier(env: NodeJS.ProcessEnv = process.env, options: SystemdNotifierOptions = {}): SystemdNotifier | null {
  const socket = env.NOTIFY_SOCKET;
  if (socket === undefined || socket === "") return null;
  const send = options.send ?? sendDatagram;
  const interval = watchdogInterval(env.WATCHDOG_USEC, env.WATCHDOG_PID, options.pid ?? process.pid);
  const monotonicUsec = options.monotonicUsec ?? (() => process.hrtime.bigint() / 1000n);

  const notify = (message: string): Outcome => {
    const outcome = sendMessage(send, socket, message);
    if (!outcome.ok) options.onFailure?.(outcome);
    return outcome;
  };
  return {
    socket,
    ready: () => notify("READY=1"),
    watchdog: () => notify("WATCHDOG=1"),
    status: (text) => notify(`${STATUS_PREFIX}${statusLine(text, NOTIFY_MESSAGE_MAX_BYTES - STATUS_PREFIX.length)}`),
    stopping: () => notify("STOPPING=1"),
    reloading: () => notify(`RELOADING=1\nMONOTONIC_USEC=${monotonicUsec()}`),
    watchdogIntervalMs: () => interval,
  };
}

/**
 * The ping interval in ms for $WATCHDOG_USEC and $WATCHDOG_PID, as sd_watchdog_enabled(3) reads
 * them: a positive integer of µs, for this process when WATCHDOG_PID is unset or is `pid`.
 */
export function watchdogInterval(usec: string | undefined, watchdogPid: string | undefined, pid: number): number | null {
  if (usec === undefined || !/^\d+$/.test(usec)) return null;
  const timeoutUsec = Number(usec);
  if (timeoutUsec <= 0 || !Number.isSafeInteger(timeoutUsec)) return null;
  if (watchdogPid !== undefined && watchdogPid !== "" && watchdogPid !== String(pid)) return null;
  return Math.max(1, Math.floor(timeoutUsec / 2000));
}

/**
 * `text` as one STATUS line of at most `maxBytes` UTF-8 bytes: a newline would start another
 * `KEY=value` assignment and a NUL makes systemd drop the whole datagram, so both become spaces;
 * a text too long is cut at a character boundary and ends in "…".
 */
export function statusLine(text: string, maxBytes: number): string {
  const line = text.replace(/\s*[\r\n\0]+\s*/g, " ").trim();
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= maxBytes) return line;
  const ellipsis = "…";
  const room = new Uint8Array(maxBytes - new TextEncoder().encode(ellipsis).length);
  const { read } = new TextEncoder().encodeInto(line, room);
  return `${line.slice(0, read)}${ellipsis}`;
}

function sendMessage(send: SendDatagram, socket: string, message: string): Outcome {
  const started = monotonicMs();
  const label = labelOf(message);
  let error: ReturnType<SendDatagram>;
  try {
    error = send(socket, new TextEncoder().encode(message));
  } catch (thrown) {
    // A sender is not supposed to throw; the caller's loop must not die if one does.
    error = { code: "ERR_UNEXPECTED", reason: (thrown as Error).message };
  }
  const durationMs = monotonicMs() - started;
  const evidence = { message: label, socket };
  if (error === null) return { ok: true, summary: `Sent "${label}" to systemd at "${socket}"`, evidence, durationMs, timedOut: false };
  return {
    ok: false,
    summary: `Cannot send "${label}" to systemd at "${socket}" as ${error.reason} (${error.code})`,
    evidence: { ...evidence, code: error.code },
    durationMs,
    timedOut: false,
    cause: error.code,
  };
}

/** The message as the log shows it: one line, a long status cut short. */
function labelOf(message: string): string {
  const line = message.replace(/\n/g, " ");
  return line.length <= LABEL_MAX_CHARS ? line : `${line.slice(0, LABEL_MAX_CHARS - 1)}…`;
}
