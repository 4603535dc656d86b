import type { AlertDraft, Enqueued } from "./outbox.js";
import type { ServiceEvent } from "./policy.js";
import type { ServiceState } from "./state.js";

/** One step of a restart sequence as the history keeps it. */
export interface RestartStepRecord {
  step: string;
  ok: boolean;
  summary: string;
  durationMs: number;
  timedOut: boolean;
  /** What the step saw: the forensics step's capture (threads, connections, a helper's output). */
  evidence?: Record<string, unknown>;
}

/** One restart in the history: when, why, with what evidence, each step and the outcome. */
export interface RestartRecord {
  service: string;
  startedAt: number;
  finishedAt: number;
  reason: string;
  /** Which restart in the limit's window it was; 0 for one a human asked for, which the limit does not count. */
  attempt: number;
  max: number;
  ok: boolean;
  summary: string;
  evidence: unknown;
  steps: RestartStepRecord[];
}

/** What one round changes, written in one transaction. */
export interface RoundCommit {
  state: ServiceState;
  events: ServiceEvent[];
  restart?: RestartRecord;
  /** Alerts of the round's events: stored with them, before any attempt to send. */
  alerts?: readonly AlertDraft[];
  checkedAt: number;
}

/** A held per-service lock; overlapping Lifeguard processes never act on a service twice. */
export interface Lease {
  release(): void;
}

/** What the engine needs from the store (the port; `src/store` implements it with SQLite). */
export interface ServiceStore {
  acquireLock(service: string, options: { waitMs: number; signal?: AbortSignal }): Promise<Lease | null>;
  loadState(service: string): ServiceState;
  /** Returns what became of the round's alerts, in order. */
  commitRound(service: string, round: RoundCommit): { alerts: Enqueued[] };
  /**
   * Records a round that changed nothing, without the lock: refreshes when it was checked
   * (throttled: usually no write at all) only while the stored state is still `state`. False
   * when it is not (another process changed it, or none is stored): redo the round under the lock.
   */
  touchRound(service: string, state: ServiceState, checkedAt: number): boolean;
}
