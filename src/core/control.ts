import { eventAction, statusOfHealth } from "./decision-parts.js";
import { formatDuration } from "./duration.js";
import { lifeguardCommand } from "./cli-command.js";
import type { Decision } from "./policy.js";
import type { ServiceControl, ServiceState } from "./state.js";

export type { ServiceControl };

/** The command a human runs to undo a control, as Lifeguard prints it: with `address` (-c FILE...), it works as printed. */
export const controlCommand = (verb: "start" | "resume", service: string, address: readonly string[]): string => lifeguardCommand([verb, service, ...address]);

/** `stop NAME`: Lifeguard stops the service and leaves it stopped. A no-op when it is stopped already. */
export function stopService(state: ServiceState, now: number, service: string, by: string, address: readonly string[] = []): Decision {
  if (state.control?.kind === "stopped") return unchanged(state, `"${service}" is stopped already (by ${state.control.by})`);
  const message = `Stopped "${service}" at the request of ${by}: it is neither judged nor restarted until "${controlCommand("start", service, address)}"`;
  return {
    state: { ...state, control: { kind: "stopped", since: now, by } },
    actions: [eventAction("stopped", now, message, { by })],
    verdict: { status: "stopped", why: message },
  };
}

/** `start NAME`: ends a stop; the start itself is the caller's, and the startup grace runs from `now`. */
export function startService(state: ServiceState, now: number, service: string, by: string): Decision {
  const { control: _control, ...rest } = state;
  const wasStopped = state.control?.kind === "stopped";
  const message = wasStopped ? `Started "${service}" at the request of ${by}: it is judged again` : `Started "${service}" at the request of ${by}`;
  return {
    state: { ...(state.control?.kind === "paused" ? state : rest), lastStartAt: now },
    actions: [eventAction("started", now, message, { by, wasStopped })],
    verdict: { status: statusOfHealth(state.health), why: message },
  };
}

/** `pause NAME [--for DUR]`: checks go on, restarts do not, until `until` (null: until resumed). */
export function pauseService(state: ServiceState, now: number, service: string, by: string, until: number | null, reason: string | null, address: readonly string[] = []): Decision {
  const how = until === null ? `until "${controlCommand("resume", service, address)}"` : `for ${formatDuration(until - now)}`;
  const why = reason === null ? "" : ` (${reason})`;
  const message = `Paused "${service}" ${how} at the request of ${by}${why}: its checks go on, nothing is restarted`;
  return {
    state: { ...state, control: { kind: "paused", since: now, until, by, reason } },
    actions: [eventAction("paused", now, message, { by, until, reason })],
    verdict: { status: statusOfHealth(state.health), why: message },
  };
}

/** `resume NAME`: ends a pause (or a stop, without starting anything); judged again from the next round. */
export function resumeService(state: ServiceState, now: number, service: string, by: string): Decision {
  if (state.control === undefined) return unchanged(state, `"${service}" is not paused`);
  const { control, ...rest } = state;
  const message = `Resumed "${service}" at the request of ${by}, ${control.kind} since ${formatDuration(Math.max(0, now - control.since))}: it is judged again`;
  return { state: rest, actions: [eventAction("resumed", now, message, { by, was: control.kind })], verdict: { status: statusOfHealth(state.health), why: message } };
}

/**
 * A pause whose time is up ends by itself, with an alert (a human paused it and may have moved
 * on); null while it lasts, or when the service is not paused.
 */
export function endPauseIfDue(state: ServiceState, now: number, service: string): Decision | null {
  const { control } = state;
  if (control?.kind !== "paused" || control.until === null || now < control.until) return null;
  const { control: _ended, ...rest } = state;
  const reason = control.reason === null ? "" : ` (${control.reason})`;
  const message = `The pause of "${service}" by ${control.by}${reason} ended after ${formatDuration(control.until - control.since)}: it is judged and restarted again`;
  return { state: rest, actions: [eventAction("pause-ended", now, message, { by: control.by, since: control.since, reason: control.reason })], verdict: { status: statusOfHealth(state.health), why: message } };
}

/** What the verdict says of a paused service that would be restarted now. */
export function pausedWhy(control: Extract<ServiceControl, { kind: "paused" }>, now: number, service: string, address: readonly string[]): string {
  const until = control.until === null ? `until "${controlCommand("resume", service, address)}"` : `for ${formatDuration(Math.max(0, control.until - now))} more`;
  return `not restarting "${service}" as ${control.by} paused it ${until}${control.reason === null ? "" : ` (${control.reason})`}`;
}

function unchanged(state: ServiceState, why: string): Decision {
  return { state, actions: [], verdict: { status: state.control?.kind === "stopped" ? "stopped" : statusOfHealth(state.health), why } };
}
