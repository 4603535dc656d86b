import type { Database } from "better-sqlite3";
import type { RetentionConfig } from "../config/types.js";
import { forgetChecks, type CheckKey } from "./check-memory.js";
import type { PruneResult } from "./types.js";

/** Prune at most this often: each prune rewrites pages, and wear is what kills an SD card. */
export const PRUNE_INTERVAL_MS = 3_600_000;
/** Prune below the cap, not just to it, so the next hour does not have to prune again. */
const TARGET_RATIO = 0.9;
/** Fewest rows deleted per step of the size loop, so many tiny rows do not take many steps. */
const MIN_BATCH = 10;
const LAST_PRUNE_KEY = "last_prune_at";

/** Bytes the file needs: its pages less the free ones (what it shrinks to after a vacuum). */
export function usedBytes(db: Database): number {
  const pages = db.pragma("page_count", { simple: true }) as number;
  const free = db.pragma("freelist_count", { simple: true }) as number;
  return (pages - free) * (db.pragma("page_size", { simple: true }) as number);
}

/** Whether a prune is due: never run, an interval ago, or the clock went back (a Pi without RTC). */
export function isPruneDue(db: Database, now: number): boolean {
  const last = db.prepare("SELECT value FROM meta WHERE key = ?").pluck().get(LAST_PRUNE_KEY) as number | undefined;
  return last === undefined || now - last >= PRUNE_INTERVAL_MS || now < last;
}

/**
 * Deletes history (restarts, events and alerts no channel may still send) older than `maxAgeMs`, then the oldest rows in batches
 * while the file needs more than `maxBytes`, in one transaction; then gives the freed pages
 * back (`incremental_vacuum`) and folds the WAL into the file, truncating both, so the file
 * really shrinks. What checks keep between runs goes when it is as old, or when its check is no
 * longer in the config (`checks`; null: not known, none is dropped for that). Service states and
 * locks are never pruned.
 */
export function prune(db: Database, retention: RetentionConfig, now: number, checks: readonly CheckKey[] | null = null): PruneResult {
  const bytesBefore = usedBytes(db);
  const deleted = db.transaction(() => {
    const cutoff = Math.trunc(now - retention.maxAgeMs);
    const byAge =
      db.prepare("DELETE FROM restarts WHERE started_at < ?").run(cutoff).changes +
      db.prepare("DELETE FROM events WHERE at < ?").run(cutoff).changes +
      deleteSettledAlerts(db, cutoff, Math.trunc(now)) +
      // Answered requests the CLI that asked did not clear (it died, or was interrupted): a day is plenty.
      db.prepare("DELETE FROM requests WHERE status IN ('done', 'failed') AND finished_at < ?").run(Math.trunc(now - 86_400_000)).changes;
    const checksForgotten = forgetChecks(db, cutoff, checks);
    const bySize = deleteOldestWhileOver(db, retention.maxBytes * TARGET_RATIO, retention.maxBytes, Math.trunc(now));
    db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(LAST_PRUNE_KEY, Math.trunc(now));
    return { byAge, bySize, checksForgotten };
  }).immediate();
  if (deleted.byAge + deleted.bySize + deleted.checksForgotten > 0 || (db.pragma("freelist_count", { simple: true }) as number) > 0) shrinkFile(db);
  return { ran: true, deletedByAge: deleted.byAge, deletedBySize: deleted.bySize, checksForgotten: deleted.checksForgotten, bytesBefore, bytesAfter: usedBytes(db) };
}

/** Deletes the oldest history rows (restarts, events and settled alerts together) until the file needs no more than `target` bytes. */
function deleteOldestWhileOver(db: Database, target: number, cap: number, now: number): number {
  if (usedBytes(db) <= cap) return 0;
  const total = db.prepare(`SELECT (SELECT count(*) FROM restarts) + (SELECT count(*) FROM events) + (SELECT count(*) FROM alerts WHERE ${SETTLED})`).pluck();
  const nthOldest = db
    .prepare(`SELECT t FROM (SELECT started_at AS t FROM restarts UNION ALL SELECT at AS t FROM events UNION ALL SELECT created_at AS t FROM alerts WHERE ${SETTLED}) ORDER BY t LIMIT 1 OFFSET ?`)
    .pluck();
  let deleted = 0;
  for (let rows = total.get({ now }) as number, used = usedBytes(db); rows > 0 && used > target; rows = total.get({ now }) as number, used = usedBytes(db)) {
    // The share of rows that holds the excess bytes, if rows were alike; the loop corrects the guess.
    const batch = Math.min(rows, Math.max(MIN_BATCH, Math.ceil((rows * (used - target)) / used)));
    const cutoff = nthOldest.get(batch - 1, { now }) as number;
    deleted += db.prepare("DELETE FROM restarts WHERE started_at <= ?").run(cutoff).changes;
    deleted += db.prepare("DELETE FROM events WHERE at <= ?").run(cutoff).changes;
    deleted += deleteSettledAlerts(db, cutoff + 1, now);
  }
  return deleted;
}

/**
 * An alert no channel may still send: every delivery finished, or pending past its expiry (a
 * channel removed from the config never claims it again). `@now` is bound by the caller.
 */
const SETTLED = "NOT EXISTS (SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND status = 'pending' AND expires_at > @now)";

/** Deletes the settled alerts older than `cutoff` (their deliveries go with them); what may still be sent is kept. */
function deleteSettledAlerts(db: Database, cutoff: number, now: number): number {
  return db.prepare(`DELETE FROM alerts WHERE created_at < @cutoff AND ${SETTLED}`).run({ cutoff, now }).changes;
}

/** Returns free pages to the file system and empties the WAL. A reader in another process may delay the WAL part to a later prune. */
function shrinkFile(db: Database): void {
  db.pragma("incremental_vacuum");
  db.pragma("wal_checkpoint(TRUNCATE)");
}
