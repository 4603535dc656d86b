import type { HistoryEntry } from "../../store/index.js";
import { formatLocalTime } from "../../process/local-time.js";
import { fitLine, fitReply } from "./fit-reply.js";

/** How many events `/history NAME` shows: what a phone's screen holds. */
export const HISTORY_EVENTS = 10;
const LINE_LIMIT = 300;

/** `/history NAME`: the service's last events, oldest first (as a chat reads), each on one line with its local time. */
export function renderHistoryReply(service: string, entries: readonly HistoryEntry[]): string {
  const events = entries.flatMap((entry) => (entry.type === "event" ? [entry] : [])).slice(0, HISTORY_EVENTS).reverse();
  if (events.length === 0) return `No history of "${service}" yet`;
  // `11-30 21:00:01`: the year is noise on a phone.
  const lines = events.map((entry) => fitLine(`${formatLocalTime(entry.at).slice(5)} ${entry.event.kind}: ${entry.event.message}`, LINE_LIMIT));
  return fitReply([`The last ${events.length === 1 ? "event" : `${events.length} events`} of "${service}":`, ...lines].join("\n"));
}
