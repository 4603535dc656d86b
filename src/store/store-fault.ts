import { StoreError } from "./errors.js";

/**
 * A disk that cannot take a write now: full, failing, read-only (SQLITE_FULL, SQLITE_IOERR,
 * SQLITE_READONLY, EROFS...). The store goes on in memory and writes when it can again.
 */
export function isDiskFault(error: unknown): error is StoreError {
  return error instanceof StoreError && (error.code === "full" || error.code === "io" || error.code === "unwritable");
}

/** A file that is not a sound SQLite database (SQLITE_CORRUPT, SQLITE_NOTADB, a failed quick_check). */
export function isCorrupt(error: unknown): error is StoreError {
  return error instanceof StoreError && error.code === "corrupt";
}

/** What the disk was while the history stayed in memory: "the disk was full". */
export function describeFault(error: StoreError): string {
  if (error.code === "full") return "the disk was full";
  if (error.code === "io") return "the disk failed";
  return "the store could not be written";
}
