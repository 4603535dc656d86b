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
