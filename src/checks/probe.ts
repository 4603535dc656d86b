import type { CheckMemory } from "../core/check-memory.js";
import type { Clock } from "../core/clock.js";
import type { HeartbeatStore } from "../core/heartbeat.js";
import type { Runner } from "../core/runner.js";

/** What a check kind found, before the shared wrapper adds its id, times and flags. */
export interface Finding {
  ok: boolean;
  summary: string;
  evidence: Record<string, unknown>;
  cause?: string;
  /** Set when the probe's own I/O timed out (e.g. the runner's systemctl call). */
  timedOut?: boolean;
  /** The failure needs no confirmation over rounds (Observation.conclusive). */
  conclusive?: boolean;
  /** The probe could not look (Observation.unobservable); `hint` says how to let it. */
  unobservable?: boolean;
  hint?: string;
  /** A passing finding that turns failing by itself at this wall time (`Check.dueAt`). */
  dueAt?: number;
}

/** A probe following what it looks at (`Probe.follow`). */
export interface Follow {
  /** Nothing that may turn the probe's finding happened since it last looked. */
  unchanged(): boolean;
  stop(): void;
}

/**
 * One look at the world; the shared wrapper bounds it in time and catches what it throws. A
 * probe of what the service writes may take note of its (re)start (`Check.markStart`), and one
 * that can hear what it looks at change may follow it (`Check.follow`).
 */
export interface Probe {
  (signal: AbortSignal): Promise<Finding>;
  markStart?(at: number): Promise<void>;
  /** Starts following (the daemon): `onChange` when the finding may have turned; null when it cannot follow. */
  follow?(onChange: () => void, notice: (message: string) => void): Follow | null;
  /** What the run the timeout cut short was waiting for (`GET ... sent no answer within 5s`), in place of the wrapper's words. */
  explainTimeout?(): Pick<Finding, "summary" | "evidence">;
}

/** What checks may use: the injected clock, the service's runner, its name for messages, and the store's heartbeats. */
export interface CheckDeps {
  clock: Clock;
  runner: Runner;
  serviceName: string;
  /** Where the pings of `heartbeat` checks are kept (the store; read-only in a dry run). */
  heartbeats: HeartbeatStore;
  /** Where a check keeps what it needs between two `lifeguard check` runs (the store); none: it remembers nothing across processes. */
  memory?: CheckMemory;
  /** The variables the service's own `env:` gives its command (supervisor mode): a program a check runs gets them too. None: {}. */
  serviceEnv?: Readonly<Record<string, string>>;
}

/** Builds the probe of one check kind from its validated config. */
export type ProbeFactory<Config> = (config: Config, deps: CheckDeps) => Probe;
