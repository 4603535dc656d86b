/** The properties the systemd runner asks `systemctl show` for. */
export const SHOW_PROPERTIES = ["ActiveState", "SubState", "MainPID", "LoadState", "Result"] as const;

/** A unit as `systemctl show` describes it. */
export interface UnitState {
  /** `loaded`, `not-found`, `masked`, `error`, `bad-setting`. */
  loadState: string;
  /** `active`, `reloading`, `inactive`, `failed`, `activating`, `deactivating`. */
  activeState: string;
  /** Type-specific detail, e.g. `running`, `dead`, `stop-sigterm`, `auto-restart`. */
  subState: string;
  /** 0 when the unit has no main process. */
  mainPid: number;
  /** Why it last stopped: `success`, `exit-code`, `signal`, `timeout`... */
  result: string;
}

/** Parses `Key=Value` lines; null when the answer lacks the states (not a `systemctl show` output). */
export function parseUnitState(text: string): UnitState | null {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const equals = line.indexOf("=");
    if (equals > 0) values.set(line.slice(0, equals), line.slice(equals + 1).trim());
  }
  const activeState = values.get("ActiveState");
  const loadState = values.get("LoadState");
  if (activeState === undefined || activeState === "" || loadState === undefined || loadState === "") return null;
  const mainPid = Number(values.get("MainPID") ?? "0");
  return {
    loadState,
    activeState,
    subState: values.get("SubState") ?? "",
    mainPid: Number.isSafeInteger(mainPid) ? mainPid : 0,
    result: values.get("Result") ?? "",
  };
}

/** No unit file and nothing running: systemd keeps showing a not-found unit as inactive. */
export const isMissing = (unit: UnitState): boolean => unit.loadState === "not-found" && unit.activeState === "inactive";

/** Running: what the `running` check and start verification call healthy. */
export const isRunning = (unit: UnitState): boolean => unit.activeState === "active" || unit.activeState === "reloading";

/** Nothing left running: dead, failed, or waiting for systemd's own `Restart=` (its processes are gone). */
export const isStopped = (unit: UnitState): boolean =>
  !isMissing(unit) && (unit.activeState === "inactive" || unit.activeState === "failed" || unit.subState === "auto-restart");

/** Down by itself, and staying down: inactive or failed, not waiting for its own `Restart=`. */
export const isDown = (unit: UnitState): boolean =>
  !isMissing(unit) && (unit.activeState === "inactive" || unit.activeState === "failed") && unit.subState !== "auto-restart";

/** The runner state: the ActiveState, or `not-found` for a unit systemd does not know. */
export const runnerState = (unit: UnitState): string => (isMissing(unit) ? "not-found" : unit.activeState);

/** One sentence about the unit: `Unit "bot.service" is "active" ("running", main PID 42)`. */
export function describeUnit(name: string, unit: UnitState): string {
  if (unit.loadState !== "loaded" && unit.activeState === "inactive") return `Unit "${name}" is not loaded: ${unit.loadState}`;
  const details = [`"${unit.subState}"`];
  if (unit.mainPid > 0) details.push(`main PID ${unit.mainPid}`);
  if (unit.activeState === "failed") details.push(`result "${unit.result}"`);
  return `Unit "${name}" is "${unit.activeState}" (${details.join(", ")})`;
}

/**
 * The cause of a failed unit that systemd saw killed by the kernel's OOM killer: systemd reads
 * the cgroup's memory.events `oom_kill` and, when it rose, gives the unit Result=oom-kill.
 */
export function oomCause(unit: UnitState): { cause?: string } {
  if (unit.activeState !== "failed" || unit.result !== "oom-kill") return {};
  return { cause: `the kernel's OOM killer killed a process of it (systemd's result "oom-kill"): it ran out of memory` };
}

/** `active/running`: the compact form kept in evidence, one entry per state seen while waiting. */
export const compactState = (unit: UnitState): string => `${unit.activeState}/${unit.subState}`;
