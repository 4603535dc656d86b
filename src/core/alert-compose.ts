import type { Alert, AlertEvidence, AlertKind, Severity } from "./alert.js";
import { alertsHuman } from "./alerting-events.js";
import { formatDuration } from "./duration.js";
import type { Observation } from "./outcome.js";
import { attemptOf, resetCommand } from "./policy-messages.js";
import type { PolicySettings, ServiceEvent } from "./policy.js";
import { restartsInWindow } from "./restart-limit.js";
import type { ServiceState } from "./state.js";

/** An alert before the outbox gives it its id. */
export type AlertBody = Omit<Alert, "id">;

/** What an event's alert is composed from: the round that led to it. */
export interface EventContext {
  service: string;
  host: string;
  /** The round's observations: the evidence. */
  observations: readonly Observation[];
  /** The state the round left. */
  state: ServiceState;
  policy: PolicySettings;
}

/** How many log lines of one check an alert shows: enough to see what the bot last said. */
const EVIDENCE_LINES = 5;

const SEVERITY: Record<ServiceAlertKind, Severity> = {
  restarted: "warning",
  "restart-failed": "critical",
  "gave-up": "critical",
  recovered: "resolved",
  "alert-only": "warning",
  // Lifeguard stopped watching part of the service: a human must let it look again.
  unobserved: "warning",
  observed: "resolved",
  rearmed: "info",
  "pause-ended": "info",
  // Not handled yet: a human may look before the window ends.
  "quiet-hold": "warning",
};

type ServiceAlertKind = Extract<AlertKind, ServiceEvent["kind"]>;

/** The alert an event makes, or null when the event alerts nobody (`ALERTING_EVENTS`). */
export function alertOfEvent(event: ServiceEvent, context: EventContext): AlertBody | null {
  if (!alertsHuman(event.kind)) return null;
  const kind = event.kind as ServiceAlertKind;
  const { service, host } = context;
  // An alert-only check's and an unobserved check's alerts are about that one check.
  const alertOnly = event.data.alertOnly === true || kind === "alert-only" || kind === "unobserved" || kind === "observed";
  return {
    kind,
    severity: SEVERITY[kind],
    service,
    host,
    at: event.at,
    title: titleOf(kind, service, host, event),
    message: event.message,
    details: detailsOf(kind, event, context),
    evidence: kind === "recovered" || kind === "rearmed" ? [] : evidenceOf(context.observations.filter((o) => !alertOnly || o.check === event.data.check)),
    incident: incidentOf(event, context, alertOnly),
  };
}

function titleOf(kind: ServiceAlertKind, service: string, host: string, event: ServiceEvent): string {
  const on = ` on ${host}`;
  switch (kind) {
    case "restarted":
      return `Restarted "${service}"${on}`;
    case "restart-failed":
      return `Restart of "${service}" failed${on}`;
    case "gave-up":
      return `Gave up on "${service}"${on}: manual intervention needed`;
    case "recovered":
      return typeof event.data.check === "string" ? `"${service}" check "${event.data.check}" passes again${on}` : `"${service}" recovered${on}`;
    case "alert-only":
      return `"${service}" check "${String(event.data.check)}" is failing${on}`;
    case "rearmed":
      return `Re-armed "${service}"${on}`;
    case "pause-ended":
      return `The pause of "${service}" ended${on}`;
    case "quiet-hold":
      return `"${service}" is failing${on}: restart held back by its quiet window`;
    case "unobserved":
      return `Cannot observe "${service}" through check "${String(event.data.check)}"${on}`;
    case "observed":
      return `Observing "${service}" through check "${String(event.data.check)}" again${on}`;
  }
}

/** The reason, the restart count against the limit, and what to do. */
function detailsOf(kind: ServiceAlertKind, event: ServiceEvent, context: EventContext): string[] {
  const { data } = event;
  const details: string[] = [];
  const reason = data.checks ?? data.failing;
  if (typeof reason === "string") details.push(`Reason: ${reason}`);
  if (kind === "restart-failed" && typeof data.summary === "string") details.push(`Failed: ${data.summary}`);
  if (typeof data.forensics === "string") details.push(`Before the stop: ${data.forensics}`);
  if (kind === "restarted" || kind === "restart-failed" || kind === "gave-up") details.push(`Restarts: ${restartCount(event.at, context)}`);
  if (kind === "recovered" && typeof data.durationMs === "number") details.push(`Down for: ${formatDuration(data.durationMs)}`);
  if (kind === "observed" && typeof data.durationMs === "number") details.push(`Not observed for: ${formatDuration(data.durationMs)}`);
  if (typeof data.hint === "string") details.push(data.hint);
  else if (kind === "gave-up") details.push(`Run: ${resetCommand(context.service, context.policy.cliAddress)}`);
  return details;
}

/** `2 of 3 in the last 1h`. */
function restartCount(at: number, context: EventContext): string {
  const { max, perMs } = context.policy.limit;
  return attemptOf(restartsInWindow(context.state.restarts, at, perMs).length, max, perMs);
}

/** The service's incident (`trader@<since>`), or one check's: alert-only or unobserved (`trader/memory@<since>`). */
function incidentOf(event: ServiceEvent, context: EventContext, alertOnly: boolean): Alert["incident"] {
  const durationMs = typeof event.data.durationMs === "number" ? { durationMs: event.data.durationMs } : {};
  if (alertOnly) {
    const check = String(event.data.check);
    const since = typeof event.data.since === "number" ? event.data.since : event.at;
    return { id: `${context.service}/${check}@${since}`, since, ...durationMs };
  }
  const since = typeof event.data.incidentSince === "number" ? event.data.incidentSince : context.state.incidentSince;
  return since === null ? null : { id: `${context.service}@${since}`, since, ...durationMs };
}

/** Failing checks first, then the passing ones that explain them (a log's last matching lines). */
export function evidenceOf(observations: readonly Observation[]): AlertEvidence[] {
  const ordered = [...observations.filter((o) => !o.ok), ...observations.filter((o) => o.ok)];
  return ordered.map((o) => ({ check: o.check, ok: o.ok, summary: o.summary, lines: evidenceLines(o) }));
}

/** The cause when the summary lacks it, then a forbidden line or the last matching log lines. */
function evidenceLines(observation: Observation): string[] {
  const lines: string[] = [];
  const { cause, evidence } = observation;
  if (cause !== undefined && !observation.summary.includes(cause)) lines.push(`Cause: ${cause}`);
  // An unobserved check's hint is the alert's own detail; another's (a log read as a failure, `on-unreadable: restart`) is shown here.
  if (observation.hint !== undefined && observation.unobservable !== true) lines.push(observation.hint);
  if (typeof evidence.forbidden === "string") lines.push(evidence.forbidden);
  else if (Array.isArray(evidence.recent)) lines.push(...evidence.recent.filter((line): line is string => typeof line === "string").slice(-EVIDENCE_LINES));
  return lines;
}

/** A reminder that a service still waits for a human; `cliAddress` makes its re-arm command work as printed (PolicySettings). */
export function reminderAlert(service: string, host: string, at: number, state: ServiceState, cliAddress: readonly string[]): AlertBody | null {
  const { health } = state;
  if (health.kind !== "gave-up") return null;
  return {
    kind: "reminder",
    severity: "critical",
    service,
    host,
    at,
    title: `Still gave up on "${service}" on ${host}: manual intervention needed`,
    message: `"${service}" has had no automatic restart for ${formatDuration(Math.max(0, at - health.since))}: ${health.reason}`,
    details: [`Run: ${resetCommand(service, cliAddress)}`],
    evidence: [],
    incident: state.incidentSince === null ? null : { id: `${service}@${state.incidentSince}`, since: state.incidentSince },
  };
}

/** Lifeguard's own start or stop: `message` says what it watches or why it stopped. */
export function lifecycleAlert(kind: "lifeguard-started" | "lifeguard-stopped", host: string, at: number, message: string): AlertBody {
  const started = kind === "lifeguard-started";
  return {
    kind,
    severity: "info",
    service: null,
    host,
    at,
    title: `Lifeguard ${started ? "started" : "stopped"} on ${host}`,
    message,
    details: [],
    evidence: [],
    incident: null,
  };
}

/** Lifeguard's store: the history kept in memory as the disk refuses writes, written again, or a corrupt file replaced. */
export function storeAlert(host: string, at: number, title: string, message: string, severity: Severity): AlertBody {
  return { kind: "store", severity, service: null, host, at, title: `${title} on ${host}`, message, details: [], evidence: [], incident: null };
}

/** `lifeguard test-alert`: proves the channel reaches a human. */
export function testAlert(host: string, at: number, channel: string): AlertBody {
  return {
    kind: "test",
    severity: "info",
    service: null,
    host,
    at,
    title: `Test alert from Lifeguard on ${host}`,
    message: `This is a test of the alert channel "${channel}": if you read this, Lifeguard's alerts reach you.`,
    details: [],
    evidence: [],
    incident: null,
  };
}
