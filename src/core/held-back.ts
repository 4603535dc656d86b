import type { HeldBack, PolicySettings } from "./policy.js";
import { quietAt } from "./schedule/schedule-now.js";
import type { ServiceState } from "./state.js";

/**
 * What holds back a restart of the service now, read from its stored state (for `status`, which
 * has no round's observations): a quiet window, the backoff wait, the failure threshold not yet reached, or the
 * startup grace of its last start. Null when nothing does (healthy past its grace, restarting,
 * gave up).
 */
export function heldBackOf(state: ServiceState, now: number, policy: PolicySettings): HeldBack | null {
  const { health } = state;
  if (health.kind === "failing") {
    // The service's window as it stands now; else the hold its last round saw (a check's own window), until it ends.
    const quiet = health.quietSince === undefined ? null : (quietAt(policy.schedule?.quiet ?? [], now) ?? lastHold(health, now));
    if (quiet !== null) return { by: "quiet", until: quiet.until, why: quiet.why, reason: health.reason };
    if (health.backoffUntil !== undefined && health.backoffUntil > now) {
      return { by: "backoff", until: health.backoffUntil, delayMs: health.backoffUntil - (state.restarts.at(-1) ?? health.since), reason: health.reason };
    }
    if (health.rounds < policy.failureThreshold) return { by: "threshold", rounds: health.rounds, threshold: policy.failureThreshold, reason: health.reason };
  }
  const graceEnds = state.lastStartAt === null ? null : state.lastStartAt + policy.startupGraceMs;
  if (graceEnds !== null && graceEnds > now && (health.kind === "healthy" || health.kind === "failing")) {
    return { by: "startup-grace", until: graceEnds, startedAt: state.lastStartAt as number, reason: health.kind === "failing" ? health.reason : "" };
  }
  return null;
}

/** The quiet hold the service's last round recorded, while it lasts. */
function lastHold(health: { quietUntil?: number | null; quietWhy?: string }, now: number): { until: number | null; why: string } | null {
  if (health.quietWhy === undefined || health.quietUntil === undefined) return null;
  return health.quietUntil === null || health.quietUntil > now ? { until: health.quietUntil, why: health.quietWhy } : null;
}
