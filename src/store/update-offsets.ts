import type { Database } from "better-sqlite3";
import type { UpdateOffset } from "../core/update-offsets.js";

export function readUpdateOffset(db: Database, bot: string): UpdateOffset | null {
  const row = db.prepare("SELECT next_offset AS offset, saved_at AS savedAt FROM update_offsets WHERE bot = ?").get(bot) as UpdateOffset | undefined;
  return row ?? null;
}

export function saveUpdateOffset(db: Database, bot: string, offset: number, at: number): void {
  db.prepare("INSERT INTO update_offsets (bot, next_offset, saved_at) VALUES (?, ?, ?) ON CONFLICT (bot) DO UPDATE SET next_offset = excluded.next_offset, saved_at = excluded.saved_at")
    .run(bot, Math.trunc(offset), Math.trunc(at));
}
