import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DB_FILE_NAME } from "./open-database.js";

const BUSY_TIMEOUT_MS = 5000;

/**
 * The rows of `table` in the store of `dir`, read without writing (no store is made, none
 * migrated: a missing store, or a file older than the table, has none); the reason when the
 * store cannot be read. For commands that only look (doctor), where the store may not be theirs.
 */
export function readTableRows<Row>(dir: string, table: string): Row[] | { error: string } {
  const file = join(dir, DB_FILE_NAME);
  if (!existsSync(file)) return [];
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    if (exists === undefined) return [];
    return db.prepare(`SELECT * FROM "${table}"`).all() as Row[];
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    db?.close();
  }
}
