import type { Action, EventKind, Verdict } from "./policy.js";
import type { Health } from "./state.js";

/** Shared building blocks of the policy's decisions. */

export const HEALTHY: Health = { kind: "healthy" };

/** An event, wrapped as the action that records (and per `ALERTING_EVENTS` notifies) it. */
export function eventAction(kind: EventKind, at: number, message: string, data: Record<string, unknown> = {}): Action {
  return { type: "event", event: { kind, at, message, data } };
}

/** The verdict word for a health when the round itself says nothing new (reset, no observations). */
export function statusOfHealth(health: Health): Verdict["status"] {
  switch (health.kind) {
    case "healthy":
      return "healthy";
    case "failing":
      return health.backoffUntil === undefined ? "failing" : "backoff";
    case "restarting":
      // Not "restart": that word means a restart is decided by this very round.
      return "failing";
    case "gave-up":
      return "gave-up";
  }
}
