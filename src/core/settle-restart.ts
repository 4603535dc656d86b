import { eventAction, HEALTHY } from "./decision-parts.js";
import { restartedMessage, restartFailedMessage } from "./policy-messages.js";
import type { Decision, PolicySettings, RestartResult } from "./policy.js";
import { restartsInWindow } from "./restart-limit.js";
import type { ServiceState } from "./state.js";

/**
 * After the engine carried out a decided restart. Success starts a new startup grace; failure
 * leaves the service failing with its problem confirmed, so the next failing round may restart
 * again (subject to backoff and the limit) or give up. Either way the attempt already counts
 * against the limit and the backoff: `decide` recorded both when it decided the restart.
 */
export function settleRestart(state: ServiceState, result: RestartResult, now: number, policy: PolicySettings, service: string): Decision {
  const { max, perMs } = policy.limit;
  const attemptAt = state.health.kind === "restarting" ? state.health.since : now;
  const checks = state.health.kind === "restarting" ? state.health.reason : "unknown";
  const attempt = restartsInWindow(state.restarts, attemptAt, perMs).length;
  const data = { attempt, max, perMs, checks, summary: result.summary, ...(result.forensics === undefined ? {} : { forensics: result.forensics }) };

  if (result.ok) {
    const message = restartedMessage(service, checks, attempt, max, perMs);
    return {
      // healthySince waits for a passing round: a restart that verified is not yet a stable period.
      state: { ...state, health: HEALTHY, lastStartAt: now, healthySince: null },
      actions: [eventAction("restarted", now, message, data)],
      verdict: { status: "restart", why: message },
    };
  }
  const message = restartFailedMessage(result.summary, attempt, max, perMs);
  const incidentSince = state.incidentSince ?? attemptAt;
  return {
    state: {
      ...state,
      health: { kind: "failing", since: incidentSince, rounds: policy.failureThreshold, reason: result.summary },
      healthySince: null,
      incidentSince,
    },
    actions: [eventAction("restart-failed", now, message, data)],
    verdict: { status: "failing", why: message },
  };
}
