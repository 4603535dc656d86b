import type { Database } from "better-sqlite3";
import type { Alert } from "../core/alert.js";
import type { AlertBody } from "../core/alert-compose.js";
import type { AlertDraft, ChannelHealth, ClaimedAlert, Enqueued, Settlement } from "../core/outbox.js";

/**
 * The outbox in SQLite: `alerts` (one row per alert, its body as composed), `deliveries` (one
 * row per alert and channel) and `channels` (each channel's health and retry wait). Every
 * function is one transaction, or runs inside the caller's.
 */

interface ClaimRow {
  id: number;
  created_at: number;
  body: string;
  repeats: number;
  attempts: number;
  first_failed_at: number | null;
  expires_at: number;
}

/** Stores the drafts: deduplicated, held back when their service flaps, one delivery per channel. Call inside a transaction. */
export function insertAlerts(db: Database, drafts: readonly AlertDraft[]): Enqueued[] {
  return drafts.map((draft) => insertAlert(db, draft));
}

function insertAlert(db: Database, draft: AlertDraft): Enqueued {
  const { alert } = draft;
  if (draft.channels.length === 0) return { outcome: "unrouted" };
  const at = Math.trunc(alert.at);
  if (draft.dedupeMs > 0) {
    const twin = db.prepare("SELECT id FROM alerts WHERE dedupe_key = ? AND created_at > ? ORDER BY id DESC LIMIT 1").pluck().get(draft.dedupeKey, at - draft.dedupeMs) as number | undefined;
    if (twin !== undefined) {
      db.prepare("UPDATE alerts SET repeats = repeats + 1 WHERE id = ?").run(twin);
      return { outcome: "deduplicated", alertId: twin };
    }
  }
  const held = alert.service !== null && recentCount(db, alert.service, at - draft.flapping.perMs) >= draft.flapping.max;
  // Held alerts join those already held, so a service that never stops flapping still gets its
  // summary once per window rather than one pushed back for ever.
  const dueAt = held && alert.service !== null ? (heldUntil(db, alert.service) ?? at + draft.flapping.perMs) : at;
  const alertId = Number(
    db.prepare("INSERT INTO alerts (created_at, service, kind, dedupe_key, body) VALUES (?, ?, ?, ?, ?)")
      .run(at, alert.service, alert.kind, draft.dedupeKey, JSON.stringify(alert)).lastInsertRowid,
  );
  const deliver = db.prepare("INSERT INTO deliveries (alert_id, channel, status, due_at, expires_at) VALUES (?, ?, 'pending', ?, ?)");
  for (const channel of new Set(draft.channels)) deliver.run(alertId, channel, dueAt, Math.trunc(draft.expiresAt));
  // A flapping service's alerts are held together and go out as one digest.
  if (held && alert.service !== null) holdRecent(db, alert.service, at - draft.flapping.perMs, dueAt);
  return { outcome: "queued", alertId, dueAt, held };
}

function recentCount(db: Database, service: string, since: number): number {
  return db.prepare("SELECT count(*) FROM alerts WHERE service = ? AND created_at > ?").pluck().get(service, since) as number;
}

/** When the service's held alerts go out (pending, due after they were made), or null when none is held. */
function heldUntil(db: Database, service: string): number | null {
  return db
    .prepare("SELECT min(d.due_at) FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.service = ? AND d.status = 'pending' AND d.due_at > a.created_at")
    .pluck()
    .get(service) as number | null;
}

function holdRecent(db: Database, service: string, since: number, until: number): void {
  db.prepare(
    `UPDATE deliveries SET due_at = max(due_at, ?)
     WHERE status = 'pending' AND claimed_until IS NULL AND alert_id IN (SELECT id FROM alerts WHERE service = ? AND created_at > ?)`,
  ).run(until, service, since);
}

/** Claims what is due on `channel`, after marking what expired. One transaction. */
export function claimDue(db: Database, channel: string, now: number, options: { leaseMs: number; limit: number; owner: string }): { claimed: ClaimedAlert[]; expired: Alert[] } {
  const at = Math.trunc(now);
  return db.transaction(() => {
    const expiredRows = db
      .prepare(
        `UPDATE deliveries SET status = 'expired', finished_at = ?, claimed_until = NULL
         WHERE channel = ? AND status = 'pending' AND expires_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
         RETURNING alert_id`,
      )
      .pluck()
      .all(at, channel, at, at) as number[];
    const expired = expiredRows.map((id) => alertOf(id, db.prepare("SELECT id, created_at, body FROM alerts WHERE id = ?").get(id) as ClaimRow));
    const retryAt = db.prepare("SELECT retry_at FROM channels WHERE channel = ?").pluck().get(channel) as number | null | undefined;
    if (retryAt != null && retryAt > at) return { claimed: [], expired };
    const rows = db
      .prepare(
        `SELECT a.id, a.created_at, a.body, a.repeats, d.attempts, d.first_failed_at, d.expires_at
         FROM deliveries d JOIN alerts a ON a.id = d.alert_id
         WHERE d.channel = ? AND d.status = 'pending' AND d.due_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until <= ?)
         ORDER BY a.created_at, a.id LIMIT ?`,
      )
      .all(channel, at, at, options.limit) as ClaimRow[];
    const claim = db.prepare("UPDATE deliveries SET claimed_until = ?, claimed_by = ? WHERE alert_id = ? AND channel = ?");
    for (const row of rows) claim.run(at + options.leaseMs, options.owner, row.id, channel);
    const claimed = rows.map((row) => ({
      rowId: row.id, alert: alertOf(row.id, row), repeats: row.repeats, attempts: row.attempts, firstFailedAt: row.first_failed_at, expiresAt: row.expires_at,
    }));
    return { claimed, expired };
  }).immediate();
}

/** The stored body with its id: unique per store and stable across retries (`lifeguard-pi-42-m3x1c0`). */
function alertOf(rowId: number, row: Pick<ClaimRow, "created_at" | "body">): Alert {
  const body = JSON.parse(row.body) as AlertBody;
  return { ...body, id: `lifeguard-${body.host}-${rowId}-${row.created_at.toString(36)}` };
}

/** Records what became of a claimed batch, and the channel's health. Only rows still claimed by `owner` change. */
export function settle(db: Database, channel: string, alertIds: readonly number[], settlement: Settlement, now: number, owner: string): void {
  const at = Math.trunc(now);
  db.transaction(() => {
    const mine = (sql: string, ...params: unknown[]) => {
      const statement = db.prepare(`${sql} WHERE alert_id = ? AND channel = ? AND claimed_by = ? AND status = 'pending'`);
      for (const id of alertIds) statement.run(...params, id, channel, owner);
    };
    if (settlement.outcome === "sent") {
      mine("UPDATE deliveries SET status = 'sent', finished_at = ?, attempts = attempts + 1, claimed_until = NULL", at);
      recordChannel(db, channel, { ok: true, at });
      return;
    }
    const failed = "attempts = attempts + 1, first_failed_at = coalesce(first_failed_at, ?), last_error = ?, claimed_until = NULL";
    if (settlement.outcome === "retry") {
      mine(`UPDATE deliveries SET ${failed}`, at, settlement.error);
      recordChannel(db, channel, { ok: false, at, error: settlement.error, retryAt: Math.trunc(settlement.retryAt) });
      return;
    }
    const status = settlement.outcome === "failed" ? "failed" : "handed-over";
    mine(`UPDATE deliveries SET ${failed}, status = '${status}', finished_at = ?`, at, settlement.error, at);
    if (settlement.outcome === "handed-over") {
      const handOver = db.prepare(
        `INSERT OR IGNORE INTO deliveries (alert_id, channel, status, due_at, expires_at)
         SELECT alert_id, ?, 'pending', ?, expires_at FROM deliveries WHERE alert_id = ? AND channel = ?`,
      );
      for (const id of alertIds) handOver.run(settlement.to, at, id, channel);
    }
    recordChannel(db, channel, { ok: false, at, error: settlement.error, retryAt: null });
  }).immediate();
}

/**
 * Keeps the channel's health: a success clears its failures and its retry wait; a failure counts
 * and keeps its error, and makes the channel wait until `retryAt` (null: no wait, as for a
 * failure that retrying cannot mend, which is about the alert or the config, not the channel).
 */
function recordChannel(db: Database, channel: string, attempt: { ok: true; at: number } | { ok: false; at: number; error: string; retryAt: number | null }): void {
  if (attempt.ok) {
    db.prepare(
      `INSERT INTO channels (channel, failures, last_ok_at) VALUES (?, 0, ?)
       ON CONFLICT (channel) DO UPDATE SET failures = 0, retry_at = NULL, last_ok_at = excluded.last_ok_at`,
    ).run(channel, attempt.at);
    return;
  }
  db.prepare(
    `INSERT INTO channels (channel, failures, retry_at, last_error, last_error_at) VALUES (?, 1, ?, ?, ?)
     ON CONFLICT (channel) DO UPDATE SET failures = failures + 1, retry_at = excluded.retry_at, last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
  ).run(channel, attempt.retryAt, attempt.error, attempt.at);
}

/** The earliest time something pending on one of `channels` may go: its due time, its channel's retry wait, a claim's end. */
export function nextDueAt(db: Database, channels: readonly string[]): number | null {
  if (channels.length === 0) return null;
  const placeholders = channels.map(() => "?").join(", ");
  return db
    .prepare(
      `SELECT min(max(d.due_at, coalesce(c.retry_at, 0), coalesce(d.claimed_until, 0), 0))
       FROM deliveries d LEFT JOIN channels c ON c.channel = d.channel
       WHERE d.status = 'pending' AND d.channel IN (${placeholders})`,
    )
    .pluck()
    .get(...channels) as number | null;
}

export function lastAlertAt(db: Database, service: string, kinds: readonly string[]): number | null {
  if (kinds.length === 0) return null;
  const placeholders = kinds.map(() => "?").join(", ");
  return db.prepare(`SELECT max(created_at) FROM alerts WHERE service = ? AND kind IN (${placeholders})`).pluck().get(service, ...kinds) as number | null;
}

/** Each channel's pending count and health, in the order given. */
export function channelHealth(db: Database, channels: readonly string[]): ChannelHealth[] {
  const pending = db.prepare("SELECT count(*) FROM deliveries WHERE channel = ? AND status = 'pending'").pluck();
  const oldest = db.prepare("SELECT min(a.created_at) FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.channel = ? AND d.status = 'pending'").pluck();
  const row = db.prepare("SELECT failures, retry_at, last_ok_at, last_error, last_error_at FROM channels WHERE channel = ?");
  return channels.map((channel) => {

    const health = row.get(channel) as { failures: number; retry_at: number | null; last_ok_at: number | null; last_error: string | null; last_error_at: number | null } | undefined;
    return {
      channel,
      pending: pending.get(channel) as number,
      oldestPendingAt: oldest.get(channel) as number | null,
      failures: health?.failures ?? 0,
      retryAt: health?.retry_at ?? null,
      lastOkAt: health?.last_ok_at ?? null,
      lastError: health?.last_error ?? null,
      lastErrorAt: health?.last_error_at ?? null,
    };
  });
}

