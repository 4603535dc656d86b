import type { PolicySettings } from "../core/policy.js";

/** Options every check kind accepts. */
export interface CheckCommon {
  /** Unique within the service: the kind, with `#2`, `#3`... for repeats (`log-activity#2`). */
  id: string;
  /** Bound on one run of the check; a check that takes longer is a failed observation. */
  timeoutMs: number;
  /** Report failures but never restart because of them. */
  alertOnly: boolean;
}

export interface RunningCheckConfig extends CheckCommon {
  kind: "running";
}

export interface LogFreshCheckConfig extends CheckCommon {
  kind: "log-fresh";
  path: string;
  maxAgeMs: number;
}

export interface LogActivityCheckConfig extends CheckCommon {
  kind: "log-activity";
  path: string;
  /** How many lines from the end of the file to look at. */
  lines: number;
  /** Regular expression (JavaScript syntax) a line must match to count as activity. */
  match: string;
  /** At least this many matching lines in the tail. */
  min: number;
  /** Regular expression that fails the check when any tail line matches it, e.g. `Traceback`. */
  forbid: string | null;
  ignoreCase: boolean;
}

export type CheckConfig = RunningCheckConfig | LogFreshCheckConfig | LogActivityCheckConfig;
export type CheckKind = CheckConfig["kind"];

export interface SystemdRunnerConfig {
  kind: "systemd";
  /** Full unit name, `.service` added when no suffix was given. */
  unit: string;
  /** Bound on every systemctl call that has no step timeout of its own. */
  commandTimeoutMs: number;
}

export type RunnerConfig = SystemdRunnerConfig;

export interface RestartConfig {
  stopTimeoutMs: number;
  killWaitMs: number;
  verifyTimeoutMs: number;
}

export interface ServiceConfig {
  name: string;
  runner: RunnerConfig;
  intervalMs: number;
  /** Always starts with the implicit `running` check of a systemd service. */
  checks: CheckConfig[];
  restart: RestartConfig;
  policy: PolicySettings;
}

export interface LogConfig {
  /** null: standard output. */
  file: string | null;
  format: "text" | "json";
  /** Rotate the watchdog log to `<file>.1` beyond this size; null: never (leave it to logrotate). */
  maxBytes: number | null;
  /** Rotated files kept: `<file>.1` ... `<file>.<keep>`. */
  keep: number;
}

export interface RetentionConfig {
  /** History and events older than this are pruned. */
  maxAgeMs: number;
  /** The store is pruned, oldest first, to stay under this size. */
  maxBytes: number;
}

/** A validated, normalised configuration: every default applied, every duration in ms. */
export interface LifeguardConfig {
  /** Where it came from, for messages: a file path or `<inline>`. */
  source: string;
  /** Directory holding the SQLite store. */
  state: string;
  log: LogConfig;
  retention: RetentionConfig;
  services: ServiceConfig[];
}
