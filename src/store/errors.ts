import { LifeguardError } from "../core/errors.js";

/** Why the store could not be used; the CLI and `doctor` may act on it. */
export type StoreErrorCode = "unwritable" | "corrupt" | "newer-schema" | "busy" | "full" | "io";

/** The store cannot be opened or written. Carries a code and a hint for the user. */
export class StoreError extends LifeguardError {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}

const HINTS: Record<StoreErrorCode, string> = {
  unwritable: "Check `state:` in the configuration, and that the user running Lifeguard may write there.",
  corrupt: "Move the file away to start an empty store (its history is lost); `sqlite3 FILE .recover` may save the history.",
  "newer-schema": "Upgrade Lifeguard, or move the file away to start an empty store (its history is lost).",
  busy: "Another process holds the store too long; is a `lifeguard` stuck? `lifeguard status` shows who runs.",
  full: "Free some space on the disk, or lower the size limit under `retention:` in the configuration.",
  io: "The disk may be failing; check `dmesg` and the file system.",
};

/** SQLite result codes (better-sqlite3's `error.code`, extended codes included) mapped to what they mean here. */
const SQLITE_CODES: Array<[prefix: string, code: StoreErrorCode, reason: string]> = [
  ["SQLITE_NOTADB", "corrupt", "the file is not a database"],
  ["SQLITE_CORRUPT", "corrupt", "the file is corrupt"],
  ["SQLITE_READONLY", "unwritable", "it is read-only"],
  ["SQLITE_CANTOPEN", "unwritable", "the file cannot be opened"],
  ["SQLITE_PERM", "unwritable", "permission is denied"],
  ["SQLITE_FULL", "full", "the disk is full"],
  ["SQLITE_BUSY", "busy", "another process holds it"],
  ["SQLITE_LOCKED", "busy", "another process holds it"],
  ["SQLITE_IOERR", "io", "reading or writing the disk failed"],
];

/** Builds a StoreError with the standard hint for its code. */
export function storeError(code: StoreErrorCode, message: string, cause?: unknown): StoreError {
  return new StoreError(code, message, { hint: HINTS[code], cause });
}

/**
 * Turns a SQLite error met while doing `action` (e.g. `open`, `write to`) on `file` into a
 * StoreError: `Cannot write to the store "/var/lib/lifeguard/lifeguard.db" as the disk is full`.
 * Anything else (a bug) is returned unchanged.
 */
export function toStoreError(error: unknown, action: string, file: string): unknown {
  if (error instanceof StoreError) return error;
  const sqliteCode = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const match = SQLITE_CODES.find(([prefix]) => sqliteCode.startsWith(prefix));
  if (match === undefined) return error;
  const [, code, reason] = match;
  return storeError(code, `Cannot ${action} the store "${file}" as ${reason} (${sqliteCode})`, error);
}
