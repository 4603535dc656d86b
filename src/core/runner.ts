import type { Outcome } from "./outcome.js";

/** The state of a service as its runner sees it (for systemd: ActiveState and SubState). */
export interface RunnerStatus extends Outcome {
  /** e.g. `active`, `inactive`, `failed`, `activating`; `unknown` when it could not be asked. */
  state: string;
}

/**
 * How a service is controlled. Each step is bounded by the given timeout or signal and
 * resolves to an outcome; it never throws for an operational failure.
 */
export interface Runner {
  /** Human name of the thing controlled, e.g. `gemini-trader.service`. */
  readonly target: string;
  status(signal: AbortSignal): Promise<RunnerStatus>;
  /** Graceful stop; resolves once stopped or when `timeoutMs` has passed (ok: false, timedOut: true). */
  stop(timeoutMs: number, signal: AbortSignal): Promise<Outcome>;
  /** Force kill of the service's own processes only (its cgroup or process group), then wait up to `waitMs` for them to go. */
  kill(waitMs: number, signal: AbortSignal): Promise<Outcome>;
  /** Start; resolves once the runner reports the start done or failed. */
  start(timeoutMs: number, signal: AbortSignal): Promise<Outcome>;
}

/** How a supervised service's process ended, as its runner tells it at once. */
export interface ServiceExit {
  code: number | null;
  signal: string | null;
  uptimeMs: number;
  /** Lifeguard asked for it (stop, kill, shutdown): not a crash. */
  requested: boolean;
  lastOutput?: string;
  /** Why the kernel's OOM killer is named as its cause, when it is. */
  oomKill?: string;
}

/**
 * A runner that owns the service's process (supervisor mode): the daemon starts it, hears its
 * exit at once, and must stop it when Lifeguard stops.
 */
export interface SupervisingRunner extends Runner {
  onExit(listener: (exit: ServiceExit) => void): () => void;
  shutdown(options: { stopTimeoutMs: number; killWaitMs: number }, signal?: AbortSignal): Promise<Outcome>;
}

/** A runner that hears of its service's changes as they happen (systemd over the bus): the daemon runs a round at once. */
export interface ChangeReportingRunner extends Runner {
  /**
   * Calls `listener` when the service changed other than by the runner's own steps; returns how
   * to stop, and a promise settled once the watch is set up (or could not be yet), or null when it
   * has no way to hear of changes.
   */
  watchChanges(listener: () => void): { stop(): void; ready: Promise<void> } | null;
  /**
   * How many changes it has heard of the service, whoever made them; null while it cannot hear
   * every change (no watch, the bus away). The same count twice: nothing changed in between.
   */
  changesHeard(): number | null;
}

export function reportsChanges(runner: Runner): runner is ChangeReportingRunner {
  return "watchChanges" in runner;
}

export function isSupervising(runner: Runner): runner is SupervisingRunner {
  return "onExit" in runner && "shutdown" in runner;
}

/** One process of a service, named by pid and start time: a pid alone may be another process's by now. */
export interface ServiceProcess {
  pid: number;
  /** Clock ticks after boot when it started (field 22 of `/proc/PID/stat`). */
  startTime: number;
}

/** The processes that are the service now, as its runner found them. */
export interface ServiceProcesses {
  /** Every living process of the service, the main one included, by pid. */
  processes: ServiceProcess[];
  /** The main process (systemd's MainPID, the supervised command), or null when none runs. */
  main: ServiceProcess | null;
  /** Where they were found, for the evidence: `cgroup /system.slice/bot.service`, `process group 1234`. */
  source: string;
  /** The directory of the service's cgroup (its memory.events), or null when it has none of its own. */
  cgroup: string | null;
  /** The tightest memory limit the service runs under (systemd's MemoryMax=/MemoryHigh=, a cgroup's memory.max/memory.high), or null when none is set. */
  memoryLimit: MemoryLimit | null;
}

/** A limit on a service's memory, and where it was read: `MemoryMax=`, `memory.high`... */
export interface MemoryLimit {
  bytes: number;
  from: string;
}

/** A runner that can tell which processes are its service (what the `memory` and `cpu` checks measure). */
export interface ProcessListingRunner extends Runner {
  /** Looks again each call; `{ problem }` says in words why it could not (the backend did not answer). */
  processes(signal: AbortSignal): Promise<ServiceProcesses | { problem: string }>;
}

export function listsProcesses(runner: Runner): runner is ProcessListingRunner {
  return "processes" in runner && typeof runner.processes === "function";
}
