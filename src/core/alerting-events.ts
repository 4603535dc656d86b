import type { EventKind } from "./policy.js";

/**
 * Which events reach a human through the alert channels; every event is recorded in the
 * history either way. A human hears about what Lifeguard did or could not do, not about
 * its intermediate steps.
 */
export const ALERTING_EVENTS: Readonly<Record<EventKind, boolean>> = {
  // Below the failure threshold it may be a blip: no alert until something is done about it.
  failing: false,
  // Followed by `restarted` or `restart-failed`, which carry the outcome.
  restart: false,
  restarted: true,
  "restart-failed": true,
  // The service stays down a little longer; the previous restart was already announced.
  backoff: false,
  // Nothing is done about a confirmed problem until the quiet window ends: a human may want to.
  "quiet-hold": true,
  // The one "manual intervention needed" message.
  "gave-up": true,
  // Only confirmed problems (and announced alert-only ones) are ever declared recovered.
  recovered: true,
  "alert-only": true,
  // Lifeguard cannot watch the service and a human must fix that (the alert names how); it hears when it can again.
  unobserved: true,
  observed: true,
  // The human was told Lifeguard gave up; they must hear that it resumed on its own.
  rearmed: true,
  // A human did it and already knows.
  reset: false,
  // Told in Lifeguard's own start alert, with the copies it stopped.
  replaced: false,
  // A human's own requests: they know (the outcome of a restart they asked for alerts as any restart's).
  stopped: false,
  started: false,
  paused: false,
  resumed: false,
  // Nobody asked just now: whoever paused it may have moved on, and restarts are back on.
  "pause-ended": true,
  // Whoever acknowledged knows; it silences the reminders, not the alerts of what happens next.
  acknowledged: false,
  // The one who asked is told at once; the service is judged as before.
  "request-failed": false,
};

/** True when an event of this kind is sent to the service's alert channels. */
export function alertsHuman(kind: EventKind): boolean {
  return ALERTING_EVENTS[kind];
}
