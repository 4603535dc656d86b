import type { Observation } from "./outcome.js";
import type { ScheduleWindow } from "./schedule/window.js";
import type { ServiceState } from "./state.js";

/** The restart policy of one service, in milliseconds, validated once by the config. */
export interface PolicySettings {
  /** Consecutive failing rounds before acting (>= 1). */
  failureThreshold: number;
  /** After a (re)start by Lifeguard, failures do not count for this long. */
  startupGraceMs: number;
  /** At most `max` restarts in any window of `perMs`; then give up. */
  limit: { max: number; perMs: number };
  /**
   * Delay between consecutive restarts: `initialMs`, doubling, capped at `maxMs`; reset after
   * `resetAfterMs` of healthy rounds, or (supervisor mode's `min-uptime`) when the service had
   * run `minUptimeMs` since its last start before its problem began; null: no such rule.
   */
  backoff: { initialMs: number; maxMs: number; resetAfterMs: number; minUptimeMs: number | null };
  /** Re-arm a gave-up service automatically after this long; null means only `lifeguard reset`. */
  rearmAfterMs: number | null;
  /**
   * The options that make a `lifeguard` command typed in any directory find this service's
   * configuration and store: `["-c", "/srv/bot/lifeguard.yaml"]`, `["--state", "/srv/lifeguard"]`;
   * empty when the defaults find them. Every command Lifeguard advises (`lifeguard reset NAME`)
   * carries them, so that it works as printed.
   */
  cliAddress: readonly string[];
  /**
   * The service's `active:` windows (outside all of them it is not judged) and `quiet:` windows
   * (inside one, no automatic restart); absent or empty lists: always judged, never quiet.
   */
  schedule?: ServiceSchedule;
}

/** A service's windows (core/schedule/window.ts). */
export interface ServiceSchedule {
  active: readonly ScheduleWindow[];
  quiet: readonly ScheduleWindow[];
}

/** Every kind of event the policy emits; which of them alert a human is `ALERTING_EVENTS`. */
export type EventKind =
  | "failing" // first failing round of a new problem
  | "restart" // a restart was decided
  | "restarted" // the restart sequence succeeded
  | "restart-failed" // a step of the restart sequence or its verification failed
  | "backoff" // a restart is due but waits for the backoff delay
  | "quiet-hold" // a restart is due but held back by a quiet window (`quiet:`)
  | "gave-up" // the restart limit is reached: manual intervention needed
  | "recovered" // healthy again after a problem
  | "alert-only" // an alert-only check is failing
  | "unobserved" // a check cannot observe the service (its log cannot be read)
  | "observed" // an unobserved check observes again
  | "rearmed" // gave-up ended by rearm-after
  | "reset" // gave-up or restart history cleared by `lifeguard reset`
  | "replaced" // what a killed Lifeguard left running was stopped before a new start (supervisor mode)
  | "stopped" // a human stopped it: left stopped until started (`lifeguard stop`)
  | "started" // a human started it (`lifeguard start`)
  | "paused" // a human paused it: checks go on, no restarts (`lifeguard pause`)
  | "resumed" // a human ended a pause (`lifeguard resume`)
  | "pause-ended" // a pause's time was up
  | "acknowledged" // a human acknowledged the open incident: no more reminders of it
  | "request-failed"; // what a human asked (stop, start) could not be done

export interface ServiceEvent {
  kind: EventKind;
  at: number;
  /** One sentence in the message style of STYLE.md, e.g. `Cannot restart "trader" as ...`. */
  message: string;
  data: Record<string, unknown>;
}

export type Action =
  /** Carry out the restart sequence; `attempt` of `max` in the current window. */
  | { type: "restart"; reason: string; attempt: number; max: number; evidence: Observation[] }
  /** Record (and, per the alert table, notify) an event. */
  | { type: "event"; event: ServiceEvent };

/** What the round looked like, in one word, and why: printed by `check --dry-run` and `status`. */
export interface Verdict {
  status: "healthy" | "grace" | "failing" | "restart" | "backoff" | "gave-up" | "alert-only" | "unobserved" | "stopped" | "paused";
  why: string;
  /** Failing checks that do not lead to a restart yet, what holds them back and until when. */
  heldBack?: HeldBack;
}

/**
 * What keeps a failing service from being restarted now, and when that ends: the startup grace
 * (failures do not count until `until`), the failure threshold (a restart if the next round fails
 * too), the backoff (a restart waits until `until`), a quiet window. Times are wall-clock ms.
 */
export type HeldBack =
  | { by: "startup-grace"; until: number; startedAt: number; reason: string }
  | { by: "threshold"; rounds: number; threshold: number; reason: string }
  | { by: "backoff"; until: number; delayMs: number; reason: string }
  /** Inside a `quiet:` window: no automatic restart until it ends (`until`; null: not within 400 days). */
  | { by: "quiet"; until: number | null; why: string; reason: string };

export interface Decision {
  state: ServiceState;
  actions: Action[];
  verdict: Verdict;
}

/** The outcome of a restart sequence, as `settleRestart` needs it. */
export interface RestartResult {
  ok: boolean;
  summary: string;
  /** What the capture before the stop said of the hang, in one line (the alert's "Before the stop"). */
  forensics?: string;
}
