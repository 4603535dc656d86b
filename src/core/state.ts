/**
 * A service's health as an explicit state machine. Transitions are made only by the pure
 * policy (`decide`, `settleRestart`, `resetService`); see docs/policy.md for the table.
 */
export type Health =
  | { kind: "healthy" }
  /**
   * Failing checks counted toward the threshold; `rounds` consecutive failing rounds so far.
   * `backoffUntil`: a restart is due but waits for its backoff delay until this wall time
   * (absent when not waiting); set on entering the wait, so the `backoff` event is emitted once.
   * `quietSince`: a restart is due but held back by a quiet window since this wall time (absent when
   * not held); set on entering the hold, so the `quiet-hold` event is emitted once. `quietUntil`
   * and `quietWhy`: that hold as its last round saw it (a check's own window, which `status`
   * cannot tell from the service's settings; null: no end within reach).
   */
  | { kind: "failing"; since: number; rounds: number; reason: string; backoffUntil?: number; quietSince?: number; quietUntil?: number | null; quietWhy?: string }
  /** A restart was decided and is being carried out; settled by `settleRestart`. `reason` names the failing checks (`log-activity`). */
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
  /** Wall time since when every counted (not alert-only) check has passed without a break, or null. */
  healthySince: number | null;
  /**
   * Wall time the open incident began (its first failing round), or null when none. An incident
   * opens when a problem reaches the failure threshold (a blip below it is none) and closes with
   * the `recovered` event of the next passing round.
   */
  incidentSince: number | null;
  /**
   * Failing alert-only checks: check id → wall time it began failing. Each is announced once
   * (`alert-only`) and once more when it passes (`recovered`). Absent when none fail.
   */
  alertOnlySince?: Record<string, number>;
  /**
   * Checks that cannot observe the service (`Observation.unobservable`): check id → since when,
   * and why. Each is announced once (`unobserved`, again when its hint changes) and once more when
   * it observes again (`observed`). Absent when every check observes.
   */
  unobserved?: Record<string, UnobservedCheck>;
  /** A human's stop or pause, in force until they undo it (or a pause's time is up); absent when none. */
  control?: ServiceControl;
  /**
   * A human acknowledged the open incident (`/ack` in Telegram): its reminders stop. It names the
   * incident it is for (`incidentSince`), so it never silences a later one; dropped when the incident
   * closes. Absent when none.
   */
  acknowledged?: Acknowledgement;
}

/** Who acknowledged which incident, and when (wall-clock ms). */
export interface Acknowledgement {
  incidentSince: number;
  at: number;
  by: string;
}

/** A check that cannot observe its service: since when, the observation's summary, and its fix. */
export interface UnobservedCheck {
  since: number;
  reason: string;
  hint?: string;
}

/**
 * What a human asked of a service and what holds until they ask otherwise (survives restarts of
 * Lifeguard: it is part of the stored state; core/control.ts makes and ends it):
 * - `stopped`: Lifeguard keeps it stopped, neither judged, restarted nor alerted on, until started;
 * - `paused`: its checks still run and are shown, but nothing is restarted; until `until` (wall
 *   time, then it ends by itself with an alert) or until resumed (`until` null).
 */
export type ServiceControl =
  | { kind: "stopped"; since: number; by: string }
  | { kind: "paused"; since: number; until: number | null; by: string; reason: string | null };

export function initialState(): ServiceState {
  return { health: { kind: "healthy" }, restarts: [], lastStartAt: null, backoffStep: 0, healthySince: null, incidentSince: null };
}
