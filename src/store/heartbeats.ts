import type { Database } from "better-sqlite3";
import type { Heartbeat, PingSignal } from "../core/heartbeat.js";

/** A row of `heartbeats` as SQLite returns it. */
interface HeartbeatRow {
  watched_since: number;
  pinged_at: number | null;
  signal: PingSignal["kind"] | null;
  exit_code: number | null;
}

/** The stored heartbeat of `service`, or null when Lifeguard never watched it. */
export function readHeartbeat(db: Database, service: string): Heartbeat | null {
  const row = db.prepare("SELECT watched_since, pinged_at, signal, exit_code FROM heartbeats WHERE service = ?").get(service) as HeartbeatRow | undefined;
  return row === undefined ? null : decodeHeartbeat(row);
}

/** The stored heartbeat; a service never watched before is watched from `now` on (one write, once). */
export function lookUpHeartbeat(db: Database, service: string, now: number): Heartbeat {
  const stored = readHeartbeat(db, service);
  if (stored !== null) return stored;
  db.prepare("INSERT INTO heartbeats (service, watched_since) VALUES (?, ?) ON CONFLICT (service) DO NOTHING").run(service, Math.trunc(now));
  return readHeartbeat(db, service) as Heartbeat;
}

/** Starts the watch of `service` over at `at`: the daemon takes pings from now on, and missed none before. */
export function watchHeartbeat(db: Database, service: string, at: number): void {
  db.prepare(
    `INSERT INTO heartbeats (service, watched_since) VALUES (?, ?)
     ON CONFLICT (service) DO UPDATE SET watched_since = excluded.watched_since`,
  ).run(service, Math.trunc(at));
}

/** Keeps `signal` as the last ping of `service`, received at `at`. One small write per ping. */
export function recordPing(db: Database, service: string, signal: PingSignal, at: number): void {
  const exitCode = signal.kind === "exit" ? signal.exitCode : null;
  const time = Math.trunc(at);
  db.prepare(
    `INSERT INTO heartbeats (service, watched_since, pinged_at, signal, exit_code) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (service) DO UPDATE SET pinged_at = excluded.pinged_at, signal = excluded.signal, exit_code = excluded.exit_code`,
  ).run(service, time, time, signal.kind, exitCode);
}

function decodeHeartbeat(row: HeartbeatRow): Heartbeat {
  if (row.pinged_at === null || row.signal === null) return { watchedSince: row.watched_since, lastPing: null };
  const signal: PingSignal = row.signal === "exit" ? { kind: "exit", exitCode: row.exit_code ?? 0 } : { kind: row.signal };
  return { watchedSince: row.watched_since, lastPing: { at: row.pinged_at, signal } };
}
