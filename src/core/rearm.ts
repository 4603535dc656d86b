import { eventAction, HEALTHY } from "./decision-parts.js";
import { elapsedSince } from "./elapsed.js";
import { rearmedMessage } from "./policy-messages.js";
import type { Action, PolicySettings } from "./policy.js";
import type { Health, ServiceState } from "./state.js";

/**
 * Automatic restarts armed again, as after a stable period: restart window and backoff cleared.
 * A gave-up service becomes healthy (its next failing round starts a new count); any other
 * health stays, minus a backoff wait that no longer applies. An open incident stays open.
 */
export function clearRestarts(state: ServiceState): ServiceState {
  return { ...state, health: rearmedHealth(state.health), restarts: [], backoffStep: 0 };
}

function rearmedHealth(health: Health): Health {
  if (health.kind === "gave-up") return HEALTHY;
  if (health.kind !== "failing" || health.backoffUntil === undefined) return health;
  const { backoffUntil: _cleared, ...failing } = health;
  return failing;
}

/** True when `rearm-after` is set and has passed since the service gave up. */
export function isRearmDue(gaveUpSince: number, now: number, policy: PolicySettings): boolean {
  return policy.rearmAfterMs !== null && elapsedSince(gaveUpSince, now) >= policy.rearmAfterMs;
}

/** The `rearm-after` transition: gave-up ends by itself, with an event a human hears. */
export function rearm(state: ServiceState, gaveUpSince: number, now: number, policy: PolicySettings, service: string): { state: ServiceState; actions: Action[] } {
  const rearmAfterMs = policy.rearmAfterMs ?? 0;
  const event = eventAction("rearmed", now, rearmedMessage(service, rearmAfterMs), {
    gaveUpSince, rearmAfterMs, restartsCleared: state.restarts.length,
  });
  return { state: clearRestarts(state), actions: [event] };
}
