import type { PolicySettings } from "./policy.js";
import type { ServiceState } from "./state.js";

/**
 * The next wall time after `now` at which the policy would judge the same observations
 * differently by time alone: the end of the startup grace, of a backoff wait, of a pause, of
 * the stable period that resets the backoff (`backoff.reset-after` of healthy rounds), or the
 * `rearm-after` of a service that gave up. The daemon runs a round then, so a freeze during the
 * grace or a crash during a backoff is answered when the wait ends, not an interval later.
 */
export function nextPolicyDeadline(state: ServiceState, now: number, policy: PolicySettings): number | null {
  const { health } = state;
  const candidates = [
    state.lastStartAt === null ? null : state.lastStartAt + policy.startupGraceMs,
    health.kind === "failing" ? (health.backoffUntil ?? null) : null,
    health.kind === "gave-up" && policy.rearmAfterMs !== null ? health.since + policy.rearmAfterMs : null,
    state.control?.kind === "paused" ? state.control.until : null,
    health.kind === "healthy" && state.backoffStep > 0 && state.healthySince !== null ? state.healthySince + policy.backoff.resetAfterMs : null,
  ].filter((at): at is number => at !== null && at > now);
  return candidates.length === 0 ? null : Math.min(...candidates);
}
