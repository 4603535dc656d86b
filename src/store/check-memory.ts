import type { Database } from "better-sqlite3";

/** The text last remembered for a check of a service (`CheckMemory`), or null. */
export function recallCheck(db: Database, service: string, check: string): string | null {
  const row = db.prepare("SELECT value FROM check_memory WHERE service = ? AND check_id = ?").get(service, check) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Keeps `value` for the check, replacing what was kept: one small row per check. */
export function rememberCheck(db: Database, service: string, check: string, value: string, at: number): void {
  db.prepare(
    `INSERT INTO check_memory (service, check_id, value, saved_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (service, check_id) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at`,
  ).run(service, check, value, Math.trunc(at));
}

/** A check of the config, by its service and id: what may keep a memory. */
export interface CheckKey {
  service: string;
  check: string;
}

/**
 * Deletes the memories not written since `cutoff` and, when `live` is given (the config's checks),
 * those of a service or check the config no longer has; returns how many went.
 */
export function forgetChecks(db: Database, cutoff: number, live: readonly CheckKey[] | null): number {
  let deleted = db.prepare("DELETE FROM check_memory WHERE saved_at < ?").run(cutoff).changes;
  if (live === null) return deleted;
  const kept = new Set(live.map((key) => JSON.stringify([key.service, key.check])));
  const rows = db.prepare("SELECT service, check_id AS checkId FROM check_memory").all() as Array<{ service: string; checkId: string }>;
  const remove = db.prepare("DELETE FROM check_memory WHERE service = ? AND check_id = ?");
  for (const row of rows) if (!kept.has(JSON.stringify([row.service, row.checkId]))) deleted += remove.run(row.service, row.checkId).changes;
  return deleted;
}
