import type { Database } from "better-sqlite3";
import type { SupervisedRun } from "../core/run-journal.js";

interface RunRow {
  token: string;
  service: string;
  boot_id: string | null;
  pid: number | null;
  start_time: number | null;
  started_at: number;
  owner_pid: number;
  owner_start_time: number | null;
}

/** Records a run, or completes its record once spawned (same token). */
export function recordRun(db: Database, run: SupervisedRun): void {
  db.prepare(
    `INSERT INTO supervised_runs (token, service, boot_id, pid, start_time, started_at, owner_pid, owner_start_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (token) DO UPDATE SET pid = excluded.pid, start_time = excluded.start_time, started_at = excluded.started_at`,
  ).run(run.token, run.service, run.bootId, run.pid, run.startTime, Math.trunc(run.startedAt), run.ownerPid, run.ownerStartTime);
}

export function forgetRun(db: Database, token: string): void {
  db.prepare("DELETE FROM supervised_runs WHERE token = ?").run(token);
}

/** The runs of `service` that may still be alive, oldest first. */
export function runsOf(db: Database, service: string): SupervisedRun[] {
  const rows = db.prepare("SELECT * FROM supervised_runs WHERE service = ? ORDER BY started_at, token").all(service) as RunRow[];
  return rows.map((row) => ({ service: row.service, token: row.token, bootId: row.boot_id, pid: row.pid, startTime: row.start_time, startedAt: row.started_at, ownerPid: row.owner_pid, ownerStartTime: row.owner_start_time }));
}
