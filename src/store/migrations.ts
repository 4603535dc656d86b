import type { Database } from "better-sqlite3";
import { storeError } from "./errors.js";

/** One schema change. Versions count up from 1 with no gaps; a released migration never changes. */
export interface Migration {
  version: number;
  sql: string;
}

/** The schema's history, oldest first. `PRAGMA user_version` says how far a file has come. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value ANY) STRICT, WITHOUT ROWID;
      CREATE TABLE service_state (
        service TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        checked_at INTEGER
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE restarts (
        id INTEGER PRIMARY KEY,
        service TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        max INTEGER NOT NULL,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        summary TEXT NOT NULL,
        evidence TEXT NOT NULL,
        steps TEXT NOT NULL
      ) STRICT;
      CREATE INDEX restarts_by_service ON restarts (service, started_at);
      CREATE INDEX restarts_by_time ON restarts (started_at);
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        service TEXT NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_by_service ON events (service, at);
      CREATE INDEX events_by_time ON events (at);
      CREATE TABLE locks (
        service TEXT PRIMARY KEY,
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        start_time INTEGER,
        boot_id TEXT,
        host TEXT NOT NULL,
        label TEXT NOT NULL,
        acquired_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    // One row per service with a heartbeat: the last ping only (a ping is a sign of life, not history).
    sql: `
      CREATE TABLE heartbeats (
        service TEXT PRIMARY KEY,
        watched_since INTEGER NOT NULL,
        pinged_at INTEGER,
        signal TEXT CHECK (signal IN ('success', 'start', 'fail', 'exit')),
        exit_code INTEGER CHECK (exit_code BETWEEN 0 AND 255),
        CHECK ((pinged_at IS NULL) = (signal IS NULL)),
        CHECK ((signal = 'exit') = (exit_code IS NOT NULL))
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    // The outbox: an alert is stored before any attempt to send it, with one delivery per
    // channel; a channel that failed waits as a whole (`channels.retry_at`), so what piles up
    // in an outage goes out together, as one digest.
    sql: `
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        service TEXT,
        kind TEXT NOT NULL,
        dedupe_key TEXT NOT NULL,
        body TEXT NOT NULL,
        repeats INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX alerts_by_key ON alerts (dedupe_key, created_at);
      CREATE INDEX alerts_by_service ON alerts (service, created_at);
      CREATE TABLE deliveries (
        alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'expired', 'handed-over')),
        due_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        first_failed_at INTEGER,
        last_error TEXT,
        claimed_until INTEGER,
        claimed_by TEXT,
        finished_at INTEGER,
        PRIMARY KEY (alert_id, channel)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX deliveries_pending ON deliveries (channel, due_at) WHERE status = 'pending';
      CREATE TABLE channels (
        channel TEXT PRIMARY KEY,
        failures INTEGER NOT NULL DEFAULT 0,
        retry_at INTEGER,
        last_ok_at INTEGER,
        last_error TEXT,
        last_error_at INTEGER
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    // Supervised runs that may still be alive: what a Lifeguard started after a kill -9 of the
    // previous one must find (and stop) before it starts the service again. A row is written
    // before the spawn (token only), completed after it, and deleted once the run is over.
    sql: `
      CREATE TABLE supervised_runs (
        token TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        boot_id TEXT,
        pid INTEGER,
        start_time INTEGER,
        started_at INTEGER NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_start_time INTEGER
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX supervised_runs_by_service ON supervised_runs (service);
    `,
  },
  {
    version: 5,
    // Who watches each service: the daemon that claimed it (beating while its loops progress,
    // marked stopped when it stops cleanly) or the last one-shot `check` run, so that `status`
    // never shows a state as current while nothing watches.
    sql: `
      CREATE TABLE watchers (
        service TEXT PRIMARY KEY,
        mode TEXT NOT NULL CHECK (mode IN ('daemon', 'check')),
        pid INTEGER NOT NULL,
        start_time INTEGER,
        boot_id TEXT,
        host TEXT NOT NULL,
        since INTEGER NOT NULL,
        beat_at INTEGER NOT NULL,
        previous_beat_at INTEGER,
        stopped_at INTEGER,
        stop_reason TEXT,
        url TEXT
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    // What a human asked of a running daemon (restart, stop, start, pause, resume, reset of a
    // service; reload): queued by the CLI for the daemon that watches the service, taken by it,
    // answered with the outcome the CLI waits for.
    sql: `
      CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        daemon_pid INTEGER NOT NULL,
        service TEXT,
        action TEXT NOT NULL,
        options TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
        finished_at INTEGER,
        summary TEXT
      ) STRICT;
      CREATE INDEX requests_pending ON requests (daemon_pid) WHERE status = 'pending';
    `,
  },
  {
    version: 7,
    // How far the daemon has read each bot's Telegram updates (the next `getUpdates` offset), so
    // that a restart of Lifeguard neither carries out a command again nor skips one.
    sql: `
      CREATE TABLE update_offsets (
        bot TEXT PRIMARY KEY,
        next_offset INTEGER NOT NULL,
        saved_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    // The last "lifeguard test-alert" per channel, sent past the outbox: what "lifeguard doctor"
    // reports as the channel's last test. One row per channel, replaced by the next test.
    sql: `
      CREATE TABLE test_alerts (
        channel TEXT PRIMARY KEY,
        at INTEGER NOT NULL,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        summary TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    // What "lifeguard install" changed on the box, one row per thing (a file with the checksum of
    // what it wrote, a directory or user it created, ACL entries it added, a unit it enabled):
    // exactly what "lifeguard uninstall" undoes, and how install tells a file edited by hand.
    sql: `
      CREATE TABLE installed (
        kind TEXT NOT NULL CHECK (kind IN ('file', 'dir', 'user', 'acl', 'enabled')),
        target TEXT NOT NULL,
        sha256 TEXT,
        detail TEXT NOT NULL DEFAULT '',
        installed_at INTEGER NOT NULL,
        command TEXT NOT NULL,
        PRIMARY KEY (kind, target)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    // What a check keeps between two runs of "lifeguard check" (core/check-memory.ts): for
    // log-activity with within and no timestamp, how far the log was read and when its matching
    // lines were first seen. One row per check, replaced at each run.
    sql: `
      CREATE TABLE check_memory (
        service TEXT NOT NULL,
        check_id TEXT NOT NULL,
        value TEXT NOT NULL,
        saved_at INTEGER NOT NULL,
        PRIMARY KEY (service, check_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 11,
    // "lifeguard install" also records a group it added its user to ("systemd-journal", to read a
    // unit's journal): the kind's CHECK is widened, which SQLite does by copying the table.
    sql: `
      CREATE TABLE installed_next (
        kind TEXT NOT NULL CHECK (kind IN ('file', 'dir', 'user', 'acl', 'enabled', 'group')),
        target TEXT NOT NULL,
        sha256 TEXT,
        detail TEXT NOT NULL DEFAULT '',
        installed_at INTEGER NOT NULL,
        command TEXT NOT NULL,
        PRIMARY KEY (kind, target)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO installed_next (kind, target, sha256, detail, installed_at, command)
        SELECT kind, target, sha256, detail, installed_at, command FROM installed;
      DROP TABLE installed;
      ALTER TABLE installed_next RENAME TO installed;
    `,
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Reads `PRAGMA user_version`: 0 for a new file. */
export function readSchemaVersion(db: Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * Brings the file up to the newest version, one migration per transaction. Each takes the write
 * lock first (BEGIN IMMEDIATE) and reads the version again, so processes opening a new file at
 * once apply each migration exactly once; a crash leaves the file at the last whole version.
 */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const known = migrations.length;
  const found = readSchemaVersion(db);
  if (found > known) {
    throw storeError(
      "newer-schema",
      `Cannot open the store "${file}" as it was written by a newer Lifeguard: schema version ${found}, this Lifeguard knows up to ${known}`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= found) continue;
    const apply = db.transaction(() => {
      if (readSchemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    });
    apply.immediate();
  }
}
