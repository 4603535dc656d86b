import { eventAction, statusOfHealth } from "./decision-parts.js";
import { resetMessage } from "./policy-messages.js";
import type { Decision } from "./policy.js";
import { clearRestarts } from "./rearm.js";
import type { ServiceState } from "./state.js";

/**
 * `lifeguard reset NAME`: a human re-arms automatic restarts. Ends gave-up and clears the
 * restart window and the backoff, whatever the health; the next rounds judge the service afresh.
 */
export function resetService(state: ServiceState, now: number, service: string): Decision {
  const wasGaveUp = state.health.kind === "gave-up";
  const message = resetMessage(service, wasGaveUp, state.restarts.length);
  const next = clearRestarts(state);
  const event = eventAction("reset", now, message, {
    wasGaveUp, restartsCleared: state.restarts.length, backoffStepCleared: state.backoffStep,
  });
  return { state: next, actions: [event], verdict: { status: statusOfHealth(next.health), why: message } };
}
