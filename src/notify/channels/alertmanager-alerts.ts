import type { Alert } from "../../core/alert.js";
import { renderText } from "../render-text.js";

/** One alert of Alertmanager's v2 API (`POST /api/v2/alerts` takes an array of them). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

/**
 * How long a firing alert stays firing in Alertmanager if no later alert says otherwise,
 * counted from the event. Alertmanager ends an alert at its `endsAt` (or `resolve_timeout`,
 * 5m, when there is none), so every firing alert sets one:
 * - a problem that stays until Lifeguard says otherwise (gave up, restart failed, an alert-only
 *   check failing, Lifeguard stopped) stays a week: a `recovered` (or `lifeguard-started`)
 *   resolves it, a reminder extends it; the week only ends one whose resolve never comes;
 * - a problem Lifeguard handled (restarted, re-armed) stays an hour: its `recovered` normally
 *   follows within minutes;
 * - a test ends after five minutes.
 * Alertmanager keeps the latest `endsAt` of a firing alert, so a shorter window never cuts a longer one short.
 */
export const FIRING_WINDOW_MS = { open: 7 * 24 * 3_600_000, handled: 3_600_000, test: 5 * 60_000 } as const;

/** Alert names, one per kind of incident: routes and silences match on them. */
export const ALERT_NAMES = { service: "LifeguardServiceProblem", check: "LifeguardCheckFailing", stopped: "LifeguardStopped", store: "LifeguardStoreProblem", test: "LifeguardTest" } as const;

/** The Alertmanager alert of one incident: its labels (the same when firing and resolved) and what resolves it. */
interface Incident {
  labels: Record<string, string>;
  /** The `severity` labels the incident's alerts may carry: a resolve closes each. */
  severities: string[];
}

/**
 * The Alertmanager alerts of Lifeguard's alerts, oldest first (a digest posts them all at once;
 * for the same labels the last one counts). `extraLabels` come from the config; Lifeguard's own
 * labels win. One service incident is one alert per severity (`warning` once handled,
 * `critical` while Lifeguard cannot fix it): the labels never carry the event's kind, so the
 * `recovered` that closes the incident carries the same labels and resolves both.
 */
export function toAlertmanagerAlerts(alerts: readonly Alert[], extraLabels: Readonly<Record<string, string>>): PostableAlert[] {
  return alerts.flatMap((alert) => toPostable(alert, extraLabels));
}

function toPostable(alert: Alert, extraLabels: Readonly<Record<string, string>>): PostableAlert[] {
  const incident = incidentOf(alert);
  const annotations = annotationsOf(alert);
  const at = alert.at;
  const startsAt = Math.min(alert.incident?.since ?? at, at);
  if (isResolve(alert)) {
    return incident.severities.map((severity) => ({
      labels: { ...extraLabels, ...incident.labels, severity },
      annotations,
      startsAt: iso(startsAt),
      endsAt: iso(at),
    }));
  }
  return [{
    labels: { ...extraLabels, ...incident.labels, severity: firingSeverity(alert) },
    annotations,
    startsAt: iso(startsAt),
    endsAt: iso(at + firingWindow(alert)),
  }];
}

/** Which incident an alert belongs to: Lifeguard's own life, its store, a test, one alert-only check, or the service. */
function incidentOf(alert: Alert): Incident {
  const host = { host: alert.host };
  if (alert.kind === "test") return { labels: { alertname: ALERT_NAMES.test, ...host }, severities: ["info"] };
  // The disk refusing the history, or a corrupt store replaced: open until the history is recorded again.
  if (alert.kind === "store") return { labels: { alertname: ALERT_NAMES.store, ...host }, severities: ["warning"] };
  if (alert.service === null) return { labels: { alertname: ALERT_NAMES.stopped, ...host }, severities: ["info"] };
  const check = alertOnlyCheck(alert, alert.service);
  if (check !== null) return { labels: { alertname: ALERT_NAMES.check, service: alert.service, check, ...host }, severities: ["warning"] };
  return { labels: { alertname: ALERT_NAMES.service, service: alert.service, ...host }, severities: ["warning", "critical"] };
}

/**
 * The check of an alert-only incident, read from its id (`trader/memory@1732999200000`, see
 * core/alert-compose.ts): a `recovered` of such a check has no evidence to name it. Service names
 * cannot hold a "/", so the prefix is unambiguous; null for a service incident (`trader@...`).
 */
export function alertOnlyCheck(alert: Alert, service: string): string | null {
  const id = alert.incident?.id;
  if (id === undefined) return null;
  const prefix = `${service}/`;
  const suffix = `@${alert.incident?.since ?? ""}`;
  if (!id.startsWith(prefix) || !id.endsWith(suffix) || id.length <= prefix.length + suffix.length) return null;
  return id.slice(prefix.length, id.length - suffix.length);
}

/** `recovered` closes a service's or a check's incident; `lifeguard-started` closes `lifeguard-stopped`. */
function isResolve(alert: Alert): boolean {
  return alert.severity === "resolved" || alert.kind === "lifeguard-started";
}

/** A service problem is `critical` or `warning` (a re-armed service's `info` counts as `warning`: it is still the incident). */
function firingSeverity(alert: Alert): string {
  if (alert.kind === "store") return "warning";
  if (alert.service === null || alert.kind === "test") return "info";
  return alert.severity === "critical" ? "critical" : "warning";
}

function firingWindow(alert: Alert): number {
  switch (alert.kind) {
    case "test":
      return FIRING_WINDOW_MS.test;
    case "restarted":
    case "rearmed":
      return FIRING_WINDOW_MS.handled;
    default:
      return FIRING_WINDOW_MS.open;
  }
}

/** What a human reads in Alertmanager's UI and templates; annotations may change without making another alert. */
function annotationsOf(alert: Alert): Record<string, string> {
  return {
    summary: alert.title,
    description: renderText([alert]).body,
    lifeguard_kind: alert.kind,
    lifeguard_id: alert.id,
    ...(alert.incident === null ? {} : { incident: alert.incident.id }),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
