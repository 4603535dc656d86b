import type { LogTag } from "../core/logger.js";
import type { Observation } from "../core/outcome.js";
import type { Action, EventKind, ServiceEvent } from "../core/policy.js";
import type { EngineDeps, ServiceParts } from "./service-parts.js";

const EVENT_TAGS: Record<EventKind, LogTag> = {
  failing: "FAIL",
  restart: "RESTART",
  restarted: "RESTART",
  "restart-failed": "ERROR",
  backoff: "WARN",
  "quiet-hold": "WARN",
  "gave-up": "GAVE-UP",
  recovered: "OK",
  "alert-only": "WARN",
  unobserved: "WARN",
  observed: "OK",
  rearmed: "INFO",
  reset: "INFO",
  replaced: "WARN",
  stopped: "INFO",
  started: "INFO",
  paused: "INFO",
  resumed: "INFO",
  "pause-ended": "WARN",
  acknowledged: "INFO",
  "request-failed": "ERROR",
};

/** The events among a decision's actions. */
export const eventsOf = (actions: Action[]): ServiceEvent[] => actions.flatMap((action) => (action.type === "event" ? [action.event] : []));

/** One line of the watchdog log per event, tagged by its kind. */
export function logEvent(deps: EngineDeps, parts: ServiceParts, event: ServiceEvent): void {
  // What a human must do (`lifeguard reset NAME`) is in the log line too, not only in the alert.
  const { hint } = event.data;
  const message = event.data.manualIntervention === true && typeof hint === "string" ? `${event.message}. ${hint}` : event.message;
  log(deps, parts, EVENT_TAGS[event.kind], message, { event: event.kind, ...event.data });
}

export function log(deps: EngineDeps, parts: ServiceParts, tag: LogTag, message: string, data?: Record<string, unknown>): void {
  deps.logger.write({ at: deps.clock.now(), tag, message, service: parts.config.name, ...(data === undefined ? {} : { data }) });
}

/** One line for an observation: a failing one as FAIL, one that is alert-only or cannot look as WARN. */
export function logObservation(deps: EngineDeps, parts: ServiceParts, observation: Observation): void {
  log(deps, parts, tagOfObservation(observation), describeObservation(observation));
}

/** The summary, with the cause when it adds something (systemctl's stderr line, an errno), and the hint. */
function describeObservation(observation: Observation): string {
  const { summary, cause, hint } = observation;
  const said = observation.ok || cause === undefined || summary.includes(cause) ? summary : cause.startsWith(summary) ? cause : `${summary} (${cause})`;
  // The fix of a log Lifeguard cannot read: the log says it too, not only the alert.
  return hint === undefined ? said : `${said}. ${hint}`;
}

/** A check that cannot look never restarts anything, as an alert-only one: a warning, not a failure. */
function tagOfObservation(observation: Observation): LogTag {
  if (observation.unjudged === true) return "INFO";
  if (observation.ok) return "OK";
  return observation.alertOnly || observation.unobservable === true ? "WARN" : "FAIL";
}
