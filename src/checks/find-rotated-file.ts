import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** The suffixes logrotate's compressors give a rotated file (`compresscmd`, `compressext`). */
const COMPRESSED_SUFFIXES = [".gz", ".bz2", ".xz", ".zst", ".lz4", ".lzma", ".Z"];

/** The newest rotated file of a log: the part of its stream just before the current file. */
export interface RotatedFile {
  path: string;
  /** Compressed (`compress` without `delaycompress`): its lines cannot be read cheaply. */
  compressed: boolean;
}

interface Candidate extends RotatedFile {
  /** Numbered names come first; among dated names the latest date is the newest. */
  order: string;
  mtimeMs: number;
}

/**
 * Finds the file the log's latest rotation left, in the log's directory: `<log>.1`, the name
 * Lifeguard's own rotation and logrotate give it (`.1.gz` when compressed), or with logrotate's
 * `dateext`, `<log>-<date>` with the latest date. Of `<log>.1` and `<log>.1.gz` the newer one
 * wins: a plain `.1` left from before `compress` was turned on is not the latest. In a directory
 * that cannot be listed only the numbered names are looked for. Null when there is none.
 */
export async function findRotatedFile(path: string): Promise<RotatedFile | null> {
  const dir = dirname(path);
  const base = basename(path);
  // A directory Lifeguard may enter but not list (mode 0711) still gives up its numbered names.
  const names = await readdir(dir).catch(() => [`${base}.1`, ...COMPRESSED_SUFFIXES.map((suffix) => `${base}.1${suffix}`)]);
  const candidates: Candidate[] = [];
  for (const name of names) {
    const named = classify(base, name);
    if (named === null) continue;
    const found = join(dir, name);
    const stats = await stat(found).catch(() => null);
    if (stats?.isFile()) candidates.push({ path: found, compressed: named.compressed, order: named.order, mtimeMs: stats.mtimeMs });
  }
  const newest = candidates.sort((a, b) => compare(b.order, a.order) || b.mtimeMs - a.mtimeMs)[0];
  return newest === undefined ? null : { path: newest.path, compressed: newest.compressed };
}

/** Whether `name` is a rotated file of `base`, and how it ranks: `~` sorts after every date. */
function classify(base: string, name: string): { order: string; compressed: boolean } | null {
  if (!name.startsWith(base) || name.length === base.length) return null;
  const suffix = COMPRESSED_SUFFIXES.find((ending) => name.endsWith(ending)) ?? "";
  const rest = name.slice(base.length, name.length - suffix.length);
  const compressed = suffix !== "";
  if (rest === ".1") return { order: "~", compressed };
  // dateext's default -%Y%m%d, and formats such as -%Y-%m-%d or -%Y%m%d%H: digits and separators.
  if (/^-\d[\d._-]*$/.test(rest)) return { order: rest.replace(/\D/g, ""), compressed };
  return null;
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  // Dates of one format have one length; "~" (numbered) outranks them all.
  if (a === "~" || b === "~") return a === "~" ? 1 : -1;
  return a.length - b.length || (a < b ? -1 : 1);
}
