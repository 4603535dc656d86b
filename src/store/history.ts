import type { Database } from "better-sqlite3";
import { decodeEvent, decodeRestart, type EventRow, type RestartRow } from "./records.js";
import type { HistoryEntry, HistoryQuery } from "./types.js";

const DEFAULT_LIMIT = 100;

/** Restarts and events merged, newest first; at equal times the later-written entry comes first. */
export function readHistory(db: Database, query: HistoryQuery = {}): HistoryEntry[] {
  const limit = Math.max(0, Math.trunc(query.limit ?? DEFAULT_LIMIT));
  const since = Math.trunc(query.since ?? Number.MIN_SAFE_INTEGER);
  const params = query.service === undefined ? { since, limit } : { service: query.service, since, limit };
  const byService = query.service === undefined ? "" : "service = :service AND";
  const restarts = db
    .prepare(`SELECT * FROM restarts WHERE ${byService} started_at >= :since ORDER BY started_at DESC, id DESC LIMIT :limit`)
    .all(params) as RestartRow[];
  const events = db
    .prepare(`SELECT * FROM events WHERE ${byService} at >= :since ORDER BY at DESC, id DESC LIMIT :limit`)
    .all(params) as EventRow[];
  const entries: HistoryEntry[] = [
    ...restarts.map((row): HistoryEntry => ({ type: "restart", id: row.id, at: row.started_at, service: row.service, restart: decodeRestart(row) })),
    ...events.map((row): HistoryEntry => ({ type: "event", id: row.id, at: row.at, service: row.service, event: decodeEvent(row) })),
  ];
  return entries.sort(newestFirst).slice(0, limit);
}

/** Time descending; a restart sorts after the events of its own moment (the decision comes before the act). */
function newestFirst(a: HistoryEntry, b: HistoryEntry): number {
  if (a.at !== b.at) return b.at - a.at;
  if (a.type !== b.type) return a.type === "restart" ? -1 : 1;
  return b.id - a.id;
}
