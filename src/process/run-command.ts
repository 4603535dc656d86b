import { spawn, type ChildProcess } from "node:child_process";
import { monotonicMs } from "./monotonic.js";
import type { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import { formatDuration } from "../core/duration.js";
import type { Outcome } from "../core/outcome.js";

/** Output kept per stream; the rest is read and dropped so the child never blocks on a full pipe. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
/** Time between SIGTERM and SIGKILL, and again between SIGKILL and giving up on the child. */
export const DEFAULT_KILL_GRACE_MS = 1000;
/** After the child exits, how long a grandchild may keep its output pipes open before we stop reading. */
const STDIO_DRAIN_MS = 200;
const CAUSE_MAX_CHARS = 300;

export interface RunCommandOptions {
  /** The command is terminated after this long (SIGTERM, then SIGKILL after `killGraceMs`); Infinity: only by `signal` (a journal followed until the user stops). */
  timeoutMs: number;
  /** Aborting terminates the command the same way as the timeout does. */
  signal?: AbortSignal;
  killGraceMs?: number;
  maxOutputBytes?: number;
  /** Which part of each stream is kept when it outgrows `maxOutputBytes`: the first bytes (default) or the last (an `exec` check's evidence, where the error is). */
  keepOutput?: "head" | "tail";
  cwd?: string;
  /** The whole environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's standard input, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** The child writes to this process's stdout and stderr itself (a journal shown to the user); the result then holds none of it. */
  passOutput?: boolean;
  /** Hears the child's pid once it is spawned (a helper whose pid another command names: `doctor`'s pkcheck subject). */
  onSpawn?: (pid: number) => void;
}

/** What happened to one command. Never thrown: operational failures are results with `ok: false`. */
export interface CommandResult extends Outcome {
  argv: string[];
  /** null when the command was killed by a signal or could not be started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Output beyond `maxOutputBytes` was dropped from stdout or stderr. */
  truncated: boolean;
  /** Terminated because the caller's signal aborted. */
  aborted: boolean;
  /** errno code when the command could not be started, e.g. `ENOENT`. */
  errorCode: string | null;
}

interface RunState {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  startError: NodeJS.ErrnoException | null;
  stopReason: "timeout" | "abort" | null;
  exited: boolean;
  lastSignalSent: NodeJS.Signals | null;
  /** The child outlived SIGKILL by a whole grace period (a process stuck in the kernel). */
  abandoned: boolean;
}

/**
 * Runs `argv` (never through a shell) in its own process group, bounded by `timeoutMs` and
 * `signal`. On timeout or abort the whole group gets SIGTERM, then SIGKILL after `killGraceMs`:
 * the grace lets hooks clean up, the group catches helpers the command spawned (nsenter's child,
 * a script's `sleep`), so nothing keeps running or keeps our pipes open. Resolves at the latest
 * `timeoutMs + 2 × killGraceMs` (+ a short drain) after the start, whatever the child does.
 */
export function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new TypeError("runCommand needs at least the program in argv");
  const started = monotonicMs();
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const state: RunState = { exitCode: null, signal: null, startError: null, stopReason: null, exited: false, lastSignalSent: null, abandoned: false };
  const stdout = collect(maxBytes, options.keepOutput ?? "head");
  const stderr = collect(maxBytes, options.keepOutput ?? "head");
  const result = (): CommandResult =>
    composeResult([...argv], state, { stdout: stdout.text(), stderr: stderr.text(), truncated: stdout.truncated() || stderr.truncated() }, options.timeoutMs, monotonicMs() - started);

  if (options.signal?.aborted) {
    state.stopReason = "abort";
    return Promise.resolve(result());
  }
  return new Promise((resolve) => {
    // Every timer and listener of this run hangs off `done`: settling aborts it, which clears them all.
    const done = new AbortController();
    const after = (ms: number, then: () => void): void => void delay(ms, undefined, { signal: done.signal }).then(then, () => undefined);
    const settle = (): void => {
      if (done.signal.aborted) return;
      done.abort();
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      resolve(result());
    };

    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        stdio: [options.input === undefined ? "ignore" : "pipe", options.passOutput === true ? "inherit" : "pipe", options.passOutput === true ? "inherit" : "pipe"],
      });
    } catch (error) {
      state.startError = error as NodeJS.ErrnoException;
      resolve(result());
      return;
    }
    if (child.pid !== undefined) {
      trackGroup(child.pid);
      options.onSpawn?.(child.pid);
    }
    stdout.read(child.stdout);
    stderr.read(child.stderr);
    if (options.input !== undefined && child.stdin) {
      child.stdin.on("error", () => undefined); // a child that does not read its input is not our failure
      child.stdin.end(options.input);
    }

    const terminate = (reason: "timeout" | "abort"): void => {
      // After its exit the command is done, even if a leftover helper still holds our pipes.
      if (state.stopReason !== null || state.exited || child.pid === undefined) return;
      state.stopReason = reason;
      sendToGroup(child.pid, "SIGTERM", state);
      after(graceMs, () => {
        sendToGroup(child.pid as number, "SIGKILL", state);
        after(graceMs, () => {
          state.abandoned = true;
          settle();
        });
      });
    };

    child.on("error", (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // a failed kill(); the escalation carries on
      state.startError = error;
      settle();
    });
    child.on("exit", (code, signal) => {
      state.exited = true;
      state.exitCode = code;
      state.signal = signal;
      // A terminated command leaves nothing behind: finish off group members that ignored SIGTERM.
      if (state.stopReason !== null && child.pid !== undefined) sendToGroup(child.pid, "SIGKILL", state);
      after(STDIO_DRAIN_MS, () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle();
      });
    });
    child.on("close", settle);
    // A timer beyond 2^31 - 1 ms would fire at once (Node's TimeoutOverflowWarning).
    if (Number.isFinite(options.timeoutMs)) after(options.timeoutMs, () => terminate("timeout"));
    options.signal?.addEventListener("abort", () => terminate("abort"), { once: true, signal: done.signal });
  });
}

function composeResult(
  argv: string[],
  state: RunState,
  output: { stdout: string; stderr: string; truncated: boolean },
  timeoutMs: number,
  durationMs: number,
): CommandResult {
  const name = formatCommand(argv);
  const timedOut = state.stopReason === "timeout";
  const aborted = state.stopReason === "abort";
  const errorCode = state.startError?.code ?? null;
  const ok = state.startError === null && state.stopReason === null && state.exitCode === 0;
  const summary = describe(name, state, timeoutMs);
  const cause = state.abandoned
    ? `It did not exit even after ${state.lastSignalSent ?? "SIGKILL"}`
    : state.startError !== null ? state.startError.message : lastLine(output.stderr);
  const evidence = { command: name, exitCode: state.exitCode, signal: state.signal, ...(state.lastSignalSent === null ? {} : { sent: state.lastSignalSent }) };
  return {
    ok, summary, evidence, durationMs, timedOut, argv, exitCode: state.exitCode, signal: state.signal,
    ...output, aborted, errorCode, ...(ok || cause === undefined ? {} : { cause }),
  };
}

/** The summary, by precedence: could not start, timed out, aborted, killed, failed, succeeded. */
function describe(name: string, state: RunState, timeoutMs: number): string {
  const error = state.startError;
  if (error?.code === "ENOENT") return `Cannot run "${name}" as it was not found`;
  if (error?.code === "EACCES") return `Cannot run "${name}" as it is not executable`;
  if (error !== null) return `Cannot run "${name}": ${error.message}`;
  if (state.stopReason === "timeout") return `Command "${name}" did not finish within ${formatDuration(timeoutMs)}`;
  if (state.stopReason === "abort") return `Command "${name}" was cancelled`;
  if (state.signal !== null) return `Command "${name}" was killed by ${state.signal}`;
  if (state.exitCode !== 0) return `Command "${name}" failed with exit code ${String(state.exitCode)}`;
  return `Command "${name}" succeeded`;
}

/** A readable, bounded rendering of argv for messages: `systemctl stop -- "my unit.service"`. */
export function formatCommand(argv: readonly string[], maxChars = 120): string {
  const text = argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ");
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

function lastLine(text: string): string | undefined {
  const line = text.split("\n").map((part) => part.trim()).filter((part) => part !== "").at(-1);
  return line === undefined ? undefined : line.slice(0, CAUSE_MAX_CHARS);
}

/** Keeps at most `maxBytes` of a stream, its head or its tail; the rest is read and dropped. */
function collect(maxBytes: number, keep: "head" | "tail") {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  const keepTail = (chunk: Buffer): void => {
    chunks.push(chunk);
    size += chunk.length;
    // Whole chunks off the front while the rest still holds maxBytes; the text() cut does the rest.
    while (chunks.length > 1 && size - (chunks[0] as Buffer).length >= maxBytes) {
      size -= (chunks.shift() as Buffer).length;
      dropped = true;
    }
  };
  const keepHead = (chunk: Buffer): void => {
    const kept = chunk.subarray(0, Math.max(0, maxBytes - size));
    if (kept.length > 0) chunks.push(kept);
    size += kept.length;
    dropped ||= kept.length < chunk.length;
  };
  return {
    read(stream: Readable | null): void {
      stream?.on("data", keep === "head" ? keepHead : keepTail);
      stream?.on("error", () => undefined);
    },
    text: () => (keep === "head" ? Buffer.concat(chunks).toString("utf8") : tailText(Buffer.concat(chunks), maxBytes)),
    truncated: () => dropped || size > maxBytes,
  };
}

/** The last `maxBytes` of `buffer` as text, starting at a whole UTF-8 character. */
function tailText(buffer: Buffer, maxBytes: number): string {
  let start = Math.max(0, buffer.length - maxBytes);
  // A UTF-8 continuation byte is 0b10xxxxxx.
  while (start < buffer.length && start > 0 && ((buffer[start] as number) & 0xc0) === 0x80) start += 1;
  return buffer.subarray(start).toString("utf8");
}

function sendToGroup(pid: number, signal: NodeJS.Signals, state: RunState): void {
  try {
    // The group id is the child's pid (detached: it leads its own session). The kernel does not
    // reuse it while the leader is unreaped or any member is alive, so this hits only our own.
    process.kill(-pid, signal);
    state.lastSignalSent = signal;
  } catch {
    // ESRCH: the whole group is already gone.
  }
}

/** Groups still running; killed if this process exits first, so a crash leaves no stray command. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const group of liveGroups) {
        try {
          process.kill(-group, "SIGKILL");
        } catch {
          // already gone
        }
      }
    });
  }
  liveGroups.add(pid);
}
