import { eventAction } from "./decision-parts.js";
import { elapsedSince } from "./elapsed.js";
import type { Observation } from "./outcome.js";
import { alertOnlyMessage, alertOnlyRecoveredMessage } from "./policy-messages.js";
import type { Action } from "./policy.js";

export interface AlertOnlyRound {
  /** The failing alert-only checks now, check id → when each began failing. */
  since: Record<string, number>;
  /** `alert-only` for each new problem, `recovered` for each that cleared. */
  actions: Action[];
  failing: Observation[];
}

/**
 * Follows the alert-only checks, which never restart anything: each problem is announced when
 * it begins and when its check passes again, not every round. A check that no longer reports
 * (removed from the config) is forgotten quietly.
 */
export function trackAlertOnly(
  previous: Readonly<Record<string, number>>, observations: readonly Observation[], now: number, service: string,
): AlertOnlyRound {
  const began = (check: string): number | undefined => (Object.hasOwn(previous, check) ? previous[check] : undefined);
  const since: Record<string, number> = {};
  const actions: Action[] = [];
  const failing = observations.filter((o) => o.alertOnly && !o.ok);
  for (const observation of failing) {
    const start = began(observation.check);
    since[observation.check] = start ?? now;
    if (start === undefined) {
      actions.push(eventAction("alert-only", now, alertOnlyMessage(service, observation), {
        check: observation.check, summary: observation.summary, evidence: observation.evidence,
      }));
    }
  }
  for (const observation of observations) {
    const start = began(observation.check);
    if (!observation.ok || start === undefined) continue;
    const durationMs = elapsedSince(start, now);
    actions.push(eventAction("recovered", now, alertOnlyRecoveredMessage(service, observation.check, durationMs), {
      check: observation.check, alertOnly: true, since: start, durationMs,
    }));
  }
  return { since, actions, failing };
}
