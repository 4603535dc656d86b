import type { Database } from "better-sqlite3";
import type { NewRequest, QueuedRequest } from "../core/requests.js";

interface RequestRow {
  id: number;
  daemon_pid: number;
  service: string | null;
  action: string;
  options: string;
  requested_by: string;
  requested_at: number;
  status: QueuedRequest["status"];
  finished_at: number | null;
  summary: string | null;
}

export function enqueueRequest(db: Database, request: NewRequest): number {
  const result = db.prepare(
    "INSERT INTO requests (daemon_pid, service, action, options, requested_by, requested_at, status) VALUES (?, ?, ?, ?, ?, ?, 'pending')",
  ).run(request.daemonPid, request.service, request.action, JSON.stringify(request.options), request.by, Math.trunc(request.requestedAt));
  return Number(result.lastInsertRowid);
}

/** The pending requests for `daemonPid`, oldest first, marked running in the same transaction. */
export function takeRequests(db: Database, daemonPid: number): QueuedRequest[] {
  // Asked every second: a plain read of the partial index, no write lock, while nothing waits.
  if (db.prepare("SELECT 1 FROM requests WHERE daemon_pid = ? AND status = 'pending' LIMIT 1").get(daemonPid) === undefined) return [];
  const take = db.transaction((): QueuedRequest[] => {
    const rows = db.prepare("SELECT * FROM requests WHERE daemon_pid = ? AND status = 'pending' ORDER BY id").all(daemonPid) as RequestRow[];
    if (rows.length === 0) return [];
    db.prepare("UPDATE requests SET status = 'running' WHERE daemon_pid = ? AND status = 'pending' AND id <= ?").run(daemonPid, rows.at(-1)?.id ?? 0);
    return rows.map((row) => ({ ...requestOf(row), status: "running" as const }));
  });
  return take.immediate();
}

export function finishRequest(db: Database, id: number, ok: boolean, summary: string, at: number): void {
  db.prepare("UPDATE requests SET status = ?, summary = ?, finished_at = ? WHERE id = ?").run(ok ? "done" : "failed", summary, Math.trunc(at), id);
}

export function readRequest(db: Database, id: number): QueuedRequest | null {
  const row = db.prepare("SELECT * FROM requests WHERE id = ?").get(id) as RequestRow | undefined;
  return row === undefined ? null : requestOf(row);
}

export function cancelRequest(db: Database, id: number): boolean {
  return db.prepare("DELETE FROM requests WHERE id = ? AND status = 'pending'").run(id).changes === 1;
}

export function forgetRequest(db: Database, id: number): void {
  db.prepare("DELETE FROM requests WHERE id = ?").run(id);
}

function requestOf(row: RequestRow): QueuedRequest {
  return {
    id: row.id, daemonPid: row.daemon_pid, service: row.service, action: row.action, options: JSON.parse(row.options) as Record<string, unknown>,
    by: row.requested_by, requestedAt: row.requested_at, status: row.status, finishedAt: row.finished_at, summary: row.summary,
  };
}
