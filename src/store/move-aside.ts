import { existsSync, renameSync } from "node:fs";

/** SQLite's companions of a database file: moved with it, so the fresh store never reads them. */
const COMPANIONS = ["-wal", "-shm", "-journal"];

/**
 * Moves a corrupt store out of the way, kept for `sqlite3 FILE .recover`, never deleted:
 * `lifeguard.db` becomes `lifeguard.db.corrupt-20261202T171500Z` (its WAL beside it).
 * Returns the new name.
 */
export function moveAside(file: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  let aside = `${file}.corrupt-${stamp}`;
  for (let n = 2; existsSync(aside); n += 1) aside = `${file}.corrupt-${stamp}-${n}`;
  for (const suffix of COMPANIONS) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
  renameSync(file, aside);
  return aside;
}
