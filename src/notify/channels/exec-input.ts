import { mostUrgent, type Alert, type Severity } from "../../core/alert.js";
import { renderText } from "../render-text.js";

/** The version of the JSON an alert program reads on stdin; a change that breaks a reader bumps it. */
export const EXEC_INPUT_VERSION = 1;

/**
 * Linux refuses to start a program with one environment string over 128 KiB (E2BIG): a long
 * digest's text is cut to this many characters in LIFEGUARD_ALERT_TEXT (stdin has it whole).
 */
export const MAX_TEXT_VARIABLE_CHARS = 32 * 1024;

/** One alert as the program reads it on stdin: times as ISO 8601 UTC. */
export interface ExecAlertJson {
  id: string;
  kind: Alert["kind"];
  severity: Severity;
  service: string | null;
  host: string;
  at: string;
  title: string;
  message: string;
  details: string[];
  evidence: Alert["evidence"];
  incident: { id: string; since: string; durationMs: number | null } | null;
}

/** What the program reads on stdin: the message as text, and every alert (a digest's, oldest first). */
export interface ExecInput {
  version: typeof EXEC_INPUT_VERSION;
  title: string;
  text: string;
  alerts: ExecAlertJson[];
}

/** The standard input of an alert program, as JSON. */
export function execInput(alerts: readonly Alert[]): ExecInput {
  const { title, body } = renderText(alerts);
  return { version: EXEC_INPUT_VERSION, title, text: body, alerts: alerts.map(alertJson) };
}

/**
 * The `LIFEGUARD_ALERT_*` variables. One alert: its own fields. A digest: the digest as a
 * whole — kind `digest`, the most urgent severity, the service when all share one, the newest
 * time, the digest's title, every message and id (one per line, oldest first).
 */
export function execVariables(alerts: readonly Alert[]): Record<string, string> {
  const [first] = alerts;
  if (first === undefined) throw new Error("execVariables needs at least one alert");
  const { title, body } = renderText(alerts);
  const single = alerts.length === 1;
  const services = new Set(alerts.map((alert) => alert.service ?? ""));
  const newest = Math.max(...alerts.map((alert) => alert.at));
  return {
    LIFEGUARD_ALERT_KIND: single ? first.kind : "digest",
    LIFEGUARD_ALERT_SEVERITY: mostUrgent(alerts),
    LIFEGUARD_ALERT_SERVICE: services.size === 1 ? (first.service ?? "") : "",
    LIFEGUARD_ALERT_HOST: first.host,
    LIFEGUARD_ALERT_AT: new Date(newest).toISOString(),
    LIFEGUARD_ALERT_TITLE: title,
    LIFEGUARD_ALERT_MESSAGE: alerts.map((alert) => alert.message).join("\n"),
    LIFEGUARD_ALERT_ID: alerts.map((alert) => alert.id).join("\n"),
    LIFEGUARD_ALERT_INCIDENT: single ? (first.incident?.id ?? "") : "",
    LIFEGUARD_ALERT_COUNT: String(alerts.length),
    LIFEGUARD_ALERT_TEXT: body.length <= MAX_TEXT_VARIABLE_CHARS ? body : `${body.slice(0, MAX_TEXT_VARIABLE_CHARS - 1)}…`,
  };
}

function alertJson(alert: Alert): ExecAlertJson {
  const { incident } = alert;
  return {
    id: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    service: alert.service,
    host: alert.host,
    at: new Date(alert.at).toISOString(),
    title: alert.title,
    message: alert.message,
    details: [...alert.details],
    evidence: alert.evidence.map((evidence) => ({ ...evidence, lines: [...evidence.lines] })),
    incident: incident === null ? null : { id: incident.id, since: new Date(incident.since).toISOString(), durationMs: incident.durationMs ?? null },
  };
}
