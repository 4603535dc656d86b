import { eventAction, statusOfHealth } from "./decision-parts.js";
import { formatDuration } from "./duration.js";
import { elapsedSince } from "./elapsed.js";
import type { Decision } from "./policy.js";
import type { ServiceState } from "./state.js";

/**
 * A human acknowledges the open incident of a service (`/ack` in Telegram): its reminders stop
 * (`alerting.remind`); what happens next (a recovery, another restart) is still alerted. Nothing to
 * do when no incident is open, or when this one is acknowledged already.
 */
export function acknowledgeService(state: ServiceState, now: number, service: string, by: string): Decision {
  const since = state.incidentSince;
  const status = statusOfHealth(state.health);
  if (since === null) return { state, actions: [], verdict: { status, why: `"${service}" has no open incident to acknowledge` } };
  const ago = (at: number): string => formatDuration(elapsedSince(at, now));
  if (isAcknowledged(state)) {
    const { acknowledged } = state;
    return { state, actions: [], verdict: { status, why: `The incident of "${service}" is acknowledged already, by ${acknowledged?.by} ${ago(acknowledged?.at ?? now)} ago` } };
  }
  const message = `Acknowledged the incident of "${service}" (open for ${ago(since)}, ${describeHealth(state)}) at the request of ${by}: no reminders of it until it ends`;
  return {
    state: { ...state, acknowledged: { incidentSince: since, at: now, by } },
    actions: [eventAction("acknowledged", now, message, { by, incidentSince: since })],
    verdict: { status, why: message },
  };
}

/** True when a human acknowledged the incident that is open now (an older one's acknowledgement does not count). */
export function isAcknowledged(state: ServiceState): boolean {
  return state.incidentSince !== null && state.acknowledged?.incidentSince === state.incidentSince;
}

function describeHealth(state: ServiceState): string {
  return state.health.kind === "healthy" ? "healthy for now" : state.health.kind;
}
