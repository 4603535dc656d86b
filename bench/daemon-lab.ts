import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { stringify } from "yaml";
import { readProcStat } from "../src/process/proc-stat.js";
import { runCommand } from "../src/process/run-command.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "../test/support/lab.js";

/** How long the daemon may take to stop on SIGTERM (it stops every supervised process first) before it is SIGKILLed. */
const STOP_TIMEOUT_MS = 20_000;
/** The history a run can hold: every restart with its evidence and steps. */
const HISTORY_OUTPUT_BYTES = 32 * 1024 * 1024;

/** One line of the daemon's JSON log (`log: { format: json }`). */
export interface DaemonEntry {
  at: number;
  tag: string;
  service?: string;
  message: string;
  data: Record<string, unknown>;
}

/** A running `lifeguard run -c CONFIG`, started by the lab. */
export interface Daemon {
  pid: number;
  /** Wall time just before it was spawned, and when it logged "Lifeguard started" (its services started). */
  spawnedAt: number;
  readyAt: number;
  /** Its HTTP surface, e.g. `http://127.0.0.1:40123`. */
  url: string;
  config: string;
  /** Its log so far, parsed. */
  entries(): DaemonEntry[];
  /** Waits until the log holds an entry `match` accepts; throws after `timeoutMs`, or if the daemon exits. */
  waitForEntry(match: (entry: DaemonEntry) => boolean, timeoutMs: number, what: string): Promise<DaemonEntry>;
  /** `lifeguard history --json` against its store: restarts (with their steps) and events, newest first. */
  history(): Promise<HistoryEntry[]>;
}

/** A restart as `lifeguard history --json` lists it: times are wall-clock ms. */
export interface HistoryEntry {
  type: "restart" | "event" | "alert";
  at: number;
  service: string | null;
  restart?: { startedAt: number; finishedAt: number; ok: boolean; reason: string; summary: string; steps: Array<{ step: string; ok: boolean; durationMs: number; summary: string }> };
}

/** How the lab's daemon ended, and what it left behind. */
export interface Shutdown {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** SIGTERM was not enough within the stop timeout: SIGKILLed. */
  forced: boolean;
  tookMs: number;
  /** Processes the lab remembered (bots) still alive after the daemon ended; each was SIGKILLed by PID. */
  leftovers: number[];
}

/** A scratch directory, one daemon at a time, and every process to end by PID. */
export interface DaemonLab {
  dir: string;
  /**
   * Writes `config` (the YAML keys as users write them) to the lab's directory and starts the
   * daemon on it: `node LAUNCHER run -c CONFIG`, the launcher being bin/lifeguard.js unless a
   * benchmark weighs another one.
   */
  startDaemon(config: Record<string, unknown>, launcher?: string): Promise<Daemon>;
  /** Remembers a process (pid and start time), so it can be ended by PID if it outlives the daemon. */
  remember(pid: number): void;
  /** SIGTERM to the daemon, SIGKILL if it lingers; then ends remembered processes still alive. */
  stopDaemon(): Promise<Shutdown>;
}

/**
 * Runs `body` with a lab under os.tmpdir(). Whatever happens, the daemon is stopped (SIGTERM, then
 * SIGKILL), every remembered process still alive is SIGKILLed by PID, and the directory removed.
 */
export async function withDaemonLab<T>(prefix: string, body: (lab: DaemonLab) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `lifeguard-bench-${prefix}-`));
  // Keyed by pid and start time: a pid the kernel hands out again is another process.
  const remembered = new Map<string, { pid: number; startTime: number }>();
  let running: { child: ChildProcess; exited: Promise<void> } | null = null;
  const remember = (pid: number): void => {
    const stat = readProcStat(pid);
    if (stat !== null) remembered.set(`${pid}@${stat.startTime}`, { pid, startTime: stat.startTime });
  };
  const lab: DaemonLab = {
    dir,
    remember,
    async startDaemon(config, launcher = BIN) {
      if (running !== null) throw new Error("The lab runs one daemon at a time");
      const started = startDaemon(dir, config, launcher);
      running = started;
      remember(started.child.pid as number);
      return await started.ready;
    },
    async stopDaemon() {
      const shutdown = await stopDaemon(running);
      running = null;
      return { ...shutdown, leftovers: endLeftovers(remembered) };
    },
  };
  try {
    return await body(lab);
  } finally {
    await stopDaemon(running);
    endLeftovers(remembered);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Labs for daemons that run at the same time: nested, so that each is cleaned up whatever happens. */
export function withDaemonLabs<T>(prefixes: readonly string[], body: (labs: DaemonLab[]) => Promise<T>): Promise<T> {
  const [first, ...rest] = prefixes;
  if (first === undefined) return body([]);
  return withDaemonLab(first, (lab) => withDaemonLabs(rest, (labs) => body([lab, ...labs])));
}

function startDaemon(dir: string, userConfig: Record<string, unknown>, launcher: string): { child: ChildProcess; exited: Promise<void>; ready: Promise<Daemon> } {
  const config = join(dir, "lifeguard.yaml");
  const log = join(dir, "lifeguard.log");
  const consoleFile = join(dir, "lifeguard.console");
  writeFileSync(config, stringify({ state: join(dir, "state"), log: { file: log, format: "json" }, http: { listen: "127.0.0.1:0" }, ...userConfig }));
  const out = openSync(consoleFile, "a");
  let child: ChildProcess;
  const spawnedAt = Date.now();
  try {
    // Not detached: a Ctrl-C of the bench reaches the daemon too, which then stops its services.
    child = spawn(process.execPath, [launcher, "run", "-c", config], { cwd: REPO, stdio: ["ignore", out, out] });
  } finally {
    closeSync(out);
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const entries = (): DaemonEntry[] => readEntries(log);
  const waitForEntry: Daemon["waitForEntry"] = async (match, timeoutMs, what) => {
    let found: DaemonEntry | undefined;
    const seen = await waitFor(() => (found = entries().find(match)) !== undefined || child.exitCode !== null || child.signalCode !== null, { timeoutMs, intervalMs: 10 });
    if (found !== undefined) return found;
    const output = existsSync(consoleFile) ? readFileSync(consoleFile, "utf8").slice(-2000) : "";
    throw new Error(`${seen ? "The daemon exited" : `No ${what} after ${timeoutMs} ms`} (pid ${child.pid}); its output: ${output}`);
  };
  const ready = (async (): Promise<Daemon> => {
    const startedEntry = await waitForEntry((entry) => entry.message.startsWith("Lifeguard started"), 180_000, "\"Lifeguard started\" in the log");
    const url = /status at (http:\/\/[^/\s]+)\//.exec(startedEntry.message)?.[1] ?? "";
    return { pid: child.pid as number, spawnedAt, readyAt: startedEntry.at, url, config, entries, waitForEntry, history: () => readHistory(config) };
  })();
  return { child, exited, ready };
}

async function stopDaemon(running: { child: ChildProcess; exited: Promise<void> } | null): Promise<Omit<Shutdown, "leftovers">> {
  const started = Date.now();
  if (running === null) return { exitCode: null, signal: null, forced: false, tookMs: 0 };
  const { child, exited } = running;
  const done = (): boolean => child.exitCode !== null || child.signalCode !== null;
  let forced = false;
  if (!done()) {
    child.kill("SIGTERM");
    const timer = delay(STOP_TIMEOUT_MS).then(() => "timeout" as const);
    if ((await Promise.race([exited.then(() => "exited" as const), timer])) === "timeout" && !done()) {
      forced = true;
      child.kill("SIGKILL");
    }
  }
  await exited;
  return { exitCode: child.exitCode, signal: child.signalCode, forced, tookMs: Date.now() - started };
}

/** SIGKILLs, by PID, each remembered process that still runs (same pid and start time); returns their pids. */
function endLeftovers(remembered: Map<string, { pid: number; startTime: number }>): number[] {
  const left: number[] = [];
  for (const { pid, startTime } of remembered.values()) {
    const stat = readProcStat(pid);
    if (stat === null || stat.startTime !== startTime || stat.state === "Z") continue;
    left.push(pid);
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone in between.
    }
  }
  return left;
}

/** The daemon's JSON log (`log: { format: json }`), parsed; [] while the file does not exist. */
export function readEntries(log: string): DaemonEntry[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8").split("\n").filter((line) => line.startsWith("{")).map((line) => {
    const { time, tag, service, message, ...data } = JSON.parse(line) as { time: string; tag: string; service?: string; message: string };
    return { at: Date.parse(time), tag, message, data, ...(service === undefined ? {} : { service }) };
  });
}

/** `lifeguard history --json` against the store of `config`, newest first. */
export async function readHistory(config: string): Promise<HistoryEntry[]> {
  const result = await runCommand([process.execPath, BIN, "history", "-c", config, "--json", "--limit", "1000"], { cwd: REPO, timeoutMs: 60_000, maxOutputBytes: HISTORY_OUTPUT_BYTES });
  if (result.exitCode !== 0) throw new Error(`lifeguard history failed (${result.exitCode}): ${result.stderr}`);
  return (JSON.parse(result.stdout) as { entries: HistoryEntry[] }).entries;
}
