/**
 * A service's health as an explicit state machine. Transitions are made only by the pure
 * policy (`decide`, `settleRestart`, `resetService`); see docs/policy.md for the table.
 */
export type Health =
  | { kind: "healthy" }
  /** Failing checks counted toward the threshold; `rounds` consecutive failing rounds so far. */
  | { kind: "failing"; since: number; rounds: number; reason: string }
  /** A restart was decided and is being carried out; settled by `settleRestart`. */
  | { kind: "restarting"; since: number; reason: string }
  /** The restart limit was reached: no automatic restarts until reset (or `rearm-after`). */
  | { kind: "gave-up"; since: number; reason: string };

export type HealthKind = Health["kind"];

/** Everything the policy remembers about one service between rounds (persisted by the store). */
export interface ServiceState {
  health: Health;
  /** Wall times (ms) of restart attempts inside the current limit window, oldest first. */
  restarts: number[];
  /** Wall time of the last start Lifeguard made; startup grace runs from here. */
  lastStartAt: number | null;
  /** Restarts in a row without a stable period between them; drives the backoff delay. */
  backoffStep: number;
  /** Wall time since when every check has passed without a break, or null. */
  healthySince: number | null;
  /** Wall time the open problem began (first failing round), closed by a recovery; null when none. */
  incidentSince: number | null;
}

export function initialState(): ServiceState {
  return { health: { kind: "healthy" }, restarts: [], lastStartAt: null, backoffStep: 0, healthySince: null, incidentSince: null };
}
