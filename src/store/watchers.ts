import type { Database } from "better-sqlite3";
import type { WatchRecord } from "../core/watch.js";
import { readTableRows } from "./read-only.js";

interface WatchRow {
  service: string;
  mode: "daemon" | "check";
  pid: number;
  start_time: number | null;
  boot_id: string | null;
  host: string;
  since: number;
  beat_at: number;
  previous_beat_at: number | null;
  stopped_at: number | null;
  stop_reason: string | null;
  url: string | null;
}

/** Every service's watcher as recorded, by service name. */
export function readWatchers(db: Database): WatchRecord[] {
  return (db.prepare("SELECT * FROM watchers ORDER BY service").all() as WatchRow[]).map(recordOf);
}

/** Every service's watcher as the store of `dir` records it, read without writing; the reason when it cannot be read. */
export function readWatchersIn(dir: string): WatchRecord[] | { error: string } {
  const rows = readTableRows<WatchRow>(dir, "watchers");
  return "error" in rows ? rows : rows.map(recordOf);
}

/**
 * Makes the daemon `records` describe the watcher of their services, unless one of them is held
 * by another daemon that `isLive` says still runs: that one is returned, and nothing written.
 * One write transaction: two daemons starting at once cannot both claim a service.
 */
export function claimWatch(db: Database, records: readonly WatchRecord[], isLive: (record: WatchRecord) => boolean): WatchRecord | null {
  const claim = db.transaction((): WatchRecord | null => {
    const find = db.prepare("SELECT * FROM watchers WHERE service = ?");
    for (const record of records) {
      const row = find.get(record.service) as WatchRow | undefined;
      const held = row === undefined ? null : recordOf(row);
      if (held !== null && held.mode === "daemon" && held.stoppedAt === null && !(held.pid === record.pid && held.since === record.since) && isLive(held)) return held;
    }
    for (const record of records) upsert(db, record);
    return null;
  });
  return claim.immediate();
}

/**
 * Records a `check` run as the watcher of `service`, keeping the run before it (its cadence),
 * unless a daemon that `isLive` says still runs watches it: the daemon stays its watcher.
 */
export function recordCheckRun(db: Database, record: WatchRecord, isLive: (record: WatchRecord) => boolean): void {
  const write = db.transaction(() => {
    const row = db.prepare("SELECT * FROM watchers WHERE service = ?").get(record.service) as WatchRow | undefined;
    const held = row === undefined ? null : recordOf(row);
    if (held !== null && held.mode === "daemon" && held.stoppedAt === null && isLive(held)) return;
    upsert(db, { ...record, previousBeatAt: held?.mode === "check" ? held.beatAt : null });
  });
  write.immediate();
}

/** The daemon (pid, since) beat at `at`: every service it watches. */
export function beatWatch(db: Database, pid: number, since: number, at: number): void {
  db.prepare("UPDATE watchers SET beat_at = ? WHERE mode = 'daemon' AND pid = ? AND since = ? AND stopped_at IS NULL").run(Math.trunc(at), pid, Math.trunc(since));
}

/** The daemon (pid, since) stopped at `at` for `reason`: its services are no longer watched. */
export function endWatch(db: Database, pid: number, since: number, at: number, reason: string): void {
  db.prepare("UPDATE watchers SET stopped_at = ?, stop_reason = ? WHERE mode = 'daemon' AND pid = ? AND since = ? AND stopped_at IS NULL").run(Math.trunc(at), reason, pid, Math.trunc(since));
}

function upsert(db: Database, record: WatchRecord): void {
  db.prepare(
    `INSERT INTO watchers (service, mode, pid, start_time, boot_id, host, since, beat_at, previous_beat_at, stopped_at, stop_reason, url)
     VALUES (@service, @mode, @pid, @startTime, @bootId, @host, @since, @beatAt, @previousBeatAt, @stoppedAt, @stopReason, @url)
     ON CONFLICT (service) DO UPDATE SET mode = excluded.mode, pid = excluded.pid, start_time = excluded.start_time, boot_id = excluded.boot_id,
       host = excluded.host, since = excluded.since, beat_at = excluded.beat_at, previous_beat_at = excluded.previous_beat_at,
       stopped_at = excluded.stopped_at, stop_reason = excluded.stop_reason, url = excluded.url`,
  ).run({ ...record, since: Math.trunc(record.since), beatAt: Math.trunc(record.beatAt), previousBeatAt: record.previousBeatAt === null ? null : Math.trunc(record.previousBeatAt) });
}

function recordOf(row: WatchRow): WatchRecord {
  return {
    service: row.service, mode: row.mode, pid: row.pid, startTime: row.start_time, bootId: row.boot_id, host: row.host, since: row.since,
    beatAt: row.beat_at, previousBeatAt: row.previous_beat_at, stoppedAt: row.stopped_at, stopReason: row.stop_reason, url: row.url,
  };
}
