import type { LogEntry } from "../core/logger.js";
import { formatLocalTime } from "../process/local-time.js";

/**
 * The seed's text format: `[2024-11-30 21:00:01] [OK] Service gemini-trader is active`.
 * With several services, `withService` puts the service's name before the message.
 */
export function formatText(entry: LogEntry, withService = false): string {
  const tag = entry.tag === "INFO" ? "" : `[${entry.tag}] `;
  const service = withService && entry.service !== undefined ? `${entry.service}: ` : "";
  return `[${formatLocalTime(entry.at)}] ${tag}${service}${oneLine(entry.message)}`;
}

/** One JSON object per line, with the time in ISO 8601 UTC. */
export function formatJson(entry: LogEntry): string {
  const { at, tag, message, service, data } = entry;
  return JSON.stringify({ time: new Date(at).toISOString(), tag, ...(service === undefined ? {} : { service }), message, ...data });
}

/** Log lines stay one line each, whatever a message carries (a log line from a bot, say). */
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, " ⏎ ");
}
