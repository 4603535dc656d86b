import Database from "better-sqlite3";
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { storeError, toStoreError } from "./errors.js";
import { migrate } from "./migrations.js";

/** The store's file inside the `state` directory. */
export const DB_FILE_NAME = "lifeguard.db";
/** The WAL is cut back to this after each checkpoint, so it cannot keep a large file around. */
const JOURNAL_SIZE_LIMIT = 1024 * 1024;

/**
 * Opens (creating when missing) `<dir>/lifeguard.db`, set up for a small machine: WAL with
 * synchronous=NORMAL (a crash of Lifeguard loses nothing committed; a power cut at worst the
 * last transactions, never consistency), incremental auto-vacuum (set before the first table
 * exists, so a prune can shrink the file), and the schema migrated to the newest version.
 */
export function openDatabase(dir: string, busyTimeoutMs: number): { db: Database.Database; file: string } {
  const file = join(dir, DB_FILE_NAME);
  ensureWritableDir(dir, file);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
    db.pragma("auto_vacuum = INCREMENTAL");
    if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
    migrate(db, file);
    return { db, file };
  } catch (error) {
    db?.close();
    throw toStoreError(error, "open", file);
  }
}

/** Creates the directory (mode 0750: history holds log lines) and checks it can be written. */
function ensureWritableDir(dir: string, file: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o750 });
  } catch (error) {
    throw storeError("unwritable", `Cannot create the state directory "${dir}": ${describe(error)}`, error);
  }
  // SQLite would open a file it cannot write read-only and fail later; say so now.
  for (const path of existsSync(file) ? [dir, file] : [dir]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      throw storeError("unwritable", `Cannot open the store "${file}" as "${path}" is not writable: ${describe(error)}`, error);
    }
  }
}

function describe(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const message = error instanceof Error ? error.message : String(error);
  return code === "" ? message : `${code} (${message.replace(/^[A-Z]+: /, "").replace(/, \w+ .*$/, "")})`;
}
