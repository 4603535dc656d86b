import type { Database } from "better-sqlite3";
import type { AlertDraft } from "../core/outbox.js";
import type { AlertDelivery } from "./types.js";

/** An alert kept in memory while the store could not be written, with what became of it on each channel. */
export interface KeptAlert {
  draft: AlertDraft;
  repeats: number;
  deliveries: ReadonlyArray<AlertDelivery & { dueAt: number }>;
}

/**
 * Writes a kept alert into the outbox as it stands: its deliveries already sent (or failed) are
 * written finished, so they are in the history and never sent twice; those still pending are
 * delivered from the outbox from now on. One transaction.
 */
export function insertKeptAlert(db: Database, kept: KeptAlert): void {
  const { alert } = kept.draft;
  db.transaction(() => {
    const alertId = Number(
      db.prepare("INSERT INTO alerts (created_at, service, kind, dedupe_key, body, repeats) VALUES (?, ?, ?, ?, ?, ?)")
        .run(Math.trunc(alert.at), alert.service, alert.kind, kept.draft.dedupeKey, JSON.stringify(alert), kept.repeats).lastInsertRowid,
    );
    const deliver = db.prepare(
      "INSERT INTO deliveries (alert_id, channel, status, due_at, expires_at, attempts, finished_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (const d of kept.deliveries) {
      deliver.run(alertId, d.channel, d.status, Math.trunc(d.dueAt), Math.trunc(kept.draft.expiresAt), d.attempts, d.finishedAt, d.lastError);
    }
  }).immediate();
}
