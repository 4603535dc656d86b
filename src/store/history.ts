import type { Database } from "better-sqlite3";
import { decodeEvent, decodeRestart, type EventRow, type RestartRow } from "./records.js";
import type { AlertDelivery, HistoryEntry, HistoryQuery } from "./types.js";

const DEFAULT_LIMIT = 100;

/** Restarts, events and alerts merged, newest first; at equal times the later-written entry comes first. */
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
  const alerts = db
    .prepare(`SELECT id, created_at, service, kind, body, repeats FROM alerts WHERE ${byService} created_at >= :since ORDER BY created_at DESC, id DESC LIMIT :limit`)
    .all(params) as AlertRow[];
  const deliveries = db.prepare("SELECT channel, status, attempts, finished_at, last_error FROM deliveries WHERE alert_id = ? ORDER BY channel");
  const entries: HistoryEntry[] = [
    ...restarts.map((row): HistoryEntry => ({ type: "restart", id: row.id, at: row.started_at, service: row.service, restart: decodeRestart(row) })),
    ...events.map((row): HistoryEntry => ({ type: "event", id: row.id, at: row.at, service: row.service, event: decodeEvent(row) })),
    ...alerts.map((row): HistoryEntry => ({ type: "alert", id: row.id, at: row.created_at, service: row.service, alert: decodeAlert(row, deliveries.all(row.id) as DeliveryRow[]) })),
  ];
  return entries.sort(newestFirst).slice(0, limit);
}

interface AlertRow {
  id: number;
  created_at: number;
  service: string | null;
  kind: string;
  body: string;
  repeats: number;
}

interface DeliveryRow {
  channel: string;
  status: AlertDelivery["status"];
  attempts: number;
  finished_at: number | null;
  last_error: string | null;
}

function decodeAlert(row: AlertRow, deliveries: DeliveryRow[]) {
  const { title } = JSON.parse(row.body) as { title: string };
  return {
    kind: row.kind,
    title,
    repeats: row.repeats,
    deliveries: deliveries.map((d) => ({ channel: d.channel, status: d.status, attempts: d.attempts, finishedAt: d.finished_at, lastError: d.last_error })),
  };
}

/**
 * At one moment, newest first: the alert (written after its event), the restart (which comes
 * after the events of its own moment: the decision comes before the act), then the events.
 */
const RANK: Record<HistoryEntry["type"], number> = { alert: 0, restart: 1, event: 2 };

/** Time descending; at equal times by kind (RANK), then the later-written first. */
function newestFirst(a: HistoryEntry, b: HistoryEntry): number {
  if (a.at !== b.at) return b.at - a.at;
  if (a.type !== b.type) return RANK[a.type] - RANK[b.type];
  return b.id - a.id;
}
