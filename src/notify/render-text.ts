import type { Alert, AlertEvidence } from "../core/alert.js";
import { formatDuration } from "../core/duration.js";
import { formatLocalTime } from "../process/local-time.js";

/** A message as plain text: a title (an email subject, a notification title) and a body that reads well on a phone. */
export interface TextMessage {
  title: string;
  body: string;
}

/** How many alerts a digest's title names before it counts the rest. */
const TITLE_KINDS_SHOWN = 3;

/** One alert, or several as one digest (oldest first), as plain text. */
export function renderText(alerts: readonly Alert[]): TextMessage {
  const [first] = alerts;
  if (first === undefined) throw new Error("renderText needs at least one alert");
  if (alerts.length === 1) return { title: first.title, body: renderOne(first) };
  return { title: digestTitle(alerts), body: renderDigest(alerts) };
}

/** The message, its details, the evidence, then where and when. */
function renderOne(alert: Alert): string {
  const blocks = [alert.message];
  if (alert.details.length > 0) blocks.push(alert.details.join("\n"));
  if (alert.evidence.length > 0) blocks.push(alert.evidence.map(renderEvidence).join("\n"));
  blocks.push(footer(alert));
  return blocks.join("\n\n");
}

/** `✗ log-fresh: Log file is stale (6m old, max 5m)`, then its lines indented. */
export function renderEvidence(evidence: AlertEvidence): string {
  const head = `${evidence.ok ? "✓" : "✗"} ${evidence.check}: ${evidence.summary}`;
  return [head, ...evidence.lines.map((line) => `    ${line}`)].join("\n");
}

/** `Host: pi · 2026-11-28 03:00:01 · incident trader@... (down 4m)`. */
function footer(alert: Alert): string {
  const parts = [`Host: ${alert.host}`, formatLocalTime(alert.at)];
  if (alert.incident !== null) {
    const down = alert.incident.durationMs === undefined ? "" : ` (down ${formatDuration(alert.incident.durationMs)})`;
    parts.push(`incident ${alert.incident.id}${down}`);
  }
  return parts.join(" · ");
}

/** `Lifeguard on pi: 5 alerts (restarted ×3, gave-up, recovered)`. */
function digestTitle(alerts: readonly Alert[]): string {
  const counts = new Map<string, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  const kinds = [...counts].map(([kind, count]) => (count === 1 ? kind : `${kind} ×${count}`));
  const shown = kinds.length > TITLE_KINDS_SHOWN ? [...kinds.slice(0, TITLE_KINDS_SHOWN), "..."] : kinds;
  const hosts = new Set(alerts.map((alert) => alert.host));
  const where = hosts.size === 1 ? ` on ${alerts[0]?.host ?? ""}` : "";
  return `Lifeguard${where}: ${alerts.length} alerts (${shown.join(", ")})`;
}

/** One block per alert, oldest first: its time and title, its message and details; evidence is left to the single alerts' history. */
function renderDigest(alerts: readonly Alert[]): string {
  const intro = `${alerts.length} alerts could not be sent one by one (an outage, or a service flapping); here they are, oldest first.`;
  const blocks = alerts.map((alert) => [`[${formatLocalTime(alert.at)}] ${alert.title}`, alert.message, ...alert.details].join("\n"));
  return [intro, ...blocks].join("\n\n");
}
