/**
 * An alert: what a human is told, composed once when its event happens and stored in the
 * outbox as it is, so every channel (and every retry) tells the same story. Channels only
 * render it (src/notify/render-*.ts); nothing here depends on a channel.
 */

/** What an alert is about: a service's event, Lifeguard's own life, a reminder, a test. */
export type AlertKind =
  | "restarted" // a restart succeeded
  | "restart-failed" // a restart (or its verification) failed
  | "gave-up" // the restart limit is reached: manual intervention needed
  | "recovered" // a confirmed problem (or an announced alert-only check) cleared
  | "alert-only" // an alert-only check began failing
  | "unobserved" // a check cannot observe the service: no restart, here is the fix
  | "observed" // an unobserved check observes again
  | "rearmed" // gave-up ended by rearm-after
  | "pause-ended" // a pause's time was up: restarts are back on
  | "quiet-hold" // a confirmed problem is not restarted: a quiet window holds it back
  | "reminder" // the service still stays gave-up
  | "lifeguard-started"
  | "lifeguard-stopped"
  | "store" // the store: history kept in memory as the disk refuses writes, written again, a corrupt file replaced
  | "test"; // `lifeguard test-alert`

/**
 * How urgent: `critical` needs a human (gave up, restart failed), `warning` was handled or
 * may need a look (restarted, alert-only), `info` is news (started, stopped, test),
 * `resolved` closes an incident.
 */
export type Severity = "critical" | "warning" | "info" | "resolved";

/** One check's result as the alert shows it: the observation's summary and the facts behind it, as short lines. */
export interface AlertEvidence {
  check: string;
  ok: boolean;
  summary: string;
  /** Facts worth a glance on a phone: `Log age: 6m 12s`, the last matching log lines. */
  lines: string[];
}

/** The incident an alert belongs to: the problem that opened it, and (when it closed) how long it lasted. */
export interface AlertIncident {
  /** `trader@1732999200000`: the service and the wall time its problem began; the same on firing and resolved alerts. */
  id: string;
  since: number;
  /** Set on `recovered`: how long the service was down. */
  durationMs?: number;
}

export interface Alert {
  /**
   * Unique and stable for this alert across retries and restarts of Lifeguard, e.g.
   * `lifeguard-pi-42`: sent where a channel allows (Message-ID, an idempotency header), so a
   * receiver can drop a copy sent twice around a crash.
   */
  id: string;
  kind: AlertKind;
  severity: Severity;
  /** null for Lifeguard's own alerts (started, stopped, test). */
  service: string | null;
  /** The machine Lifeguard runs on (os.hostname()). */
  host: string;
  /** Wall time of the event, ms since the epoch. */
  at: number;
  /** One short line for a subject or a notification title: `Restarted "trader" on pi`. */
  title: string;
  /** The event's sentence, in the message style of STYLE.md. */
  message: string;
  /** The reason, counts and hints: `Reason: log-activity`, `Restarts: 1 of 3 in the last 1h`, `Run: lifeguard reset trader`. */
  details: string[];
  /** The checks of the round that led to it; empty when none apply. */
  evidence: AlertEvidence[];
  incident: AlertIncident | null;
}

/** Most urgent first. */
const URGENCY: readonly Severity[] = ["critical", "warning", "info", "resolved"];

/** The severity of several alerts as one message (a digest): that of the most urgent. */
export function mostUrgent(alerts: readonly Alert[]): Severity {
  return URGENCY.find((severity) => alerts.some((alert) => alert.severity === severity)) ?? "info";
}
