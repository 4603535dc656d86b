import type { PolicySettings } from "./policy.js";
import { judgingAt, quietAt } from "./schedule/schedule-now.js";
import { windowStateAt } from "./schedule/window-state.js";
import type { ServiceState } from "./state.js";

/**
 * The next wall time after `now` at which the policy would judge the same observations
 * differently by time alone: the end of the startup grace, of a backoff wait, of a pause, of
 * the stable period that resets the backoff (`backoff.reset-after` of healthy rounds), or the
 * `rearm-after` of a service that gave up, the opening or closing of its active windows (and the
 * end of the grace after an opening), the end of a quiet window that holds a restart back. The daemon runs a round then, so a freeze during the
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
    ...scheduleDeadlines(state, now, policy),
  ].filter((at): at is number => at !== null && at > now);
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/** When the service's windows change what a round would decide: judged again or no more, a held restart free to go. */
function scheduleDeadlines(state: ServiceState, now: number, policy: PolicySettings): Array<number | null> {
  const active = policy.schedule?.active ?? [];
  const judging = judgingAt(active, now, policy.startupGraceMs);
  const held = state.health.kind === "failing" && state.health.quietSince !== undefined;
  return [
    judging.judged ? (active.length === 0 ? null : windowStateAt(active, now).until) : judging.until,
    held ? (quietAt(policy.schedule?.quiet ?? [], now)?.until ?? null) : null,
  ];
}
