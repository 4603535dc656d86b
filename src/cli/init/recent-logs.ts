import { constants } from "node:fs";
import { access, opendir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { monotonicMs } from "../../process/monotonic.js";

/** A file that may be the bot's log: recently written, readable, newest first within its group. */
export interface LogCandidate {
  path: string;
  mtimeMs: number;
  size: number;
  /** Where it was found: `the unit's StandardOutput=`, `/var/log`... */
  from: string;
  /** Named by the service itself (its unit, its directory), not found in /var/log. */
  own: boolean;
}

/** Where to look: a file named by the unit, or a directory scanned `depth` levels down. `own`: the unit's, listed first. */
export interface LogSource {
  path: string;
  kind: "file" | "dir";
  from: string;
  own: boolean;
}

/** Only files written this recently are candidates: a working bot writes more often. */
export const RECENT_MS = 3_600_000;
const MAX_CANDIDATES = 10;
/** The scan stops after this many directory entries or this long, whichever comes first. */
const MAX_ENTRIES = 5000;
const SCAN_BUDGET_MS = 2000;
const DEPTH = 2;
/** Rotated, compressed and binary files, programs, pid files and databases: never a live text log. */
const NOT_A_LOG = /\.(?:gz|xz|bz2|zst|zip|journal|journal~|\d+|pid|lock|sock|py|pyc|js|mjs|ts|sh|rb|pl|jar|so|db|sqlite3?|db-wal|db-shm)$|^(?:wtmp|btmp|lastlog|faillog)$/;
const SKIPPED_DIRS = new Set(["journal", "private", "node_modules", ".git"]);

/**
 * The recently written (within RECENT_MS), readable, non-empty regular files of `sources`, the
 * unit's own first, each group newest first, at most MAX_CANDIDATES; the scan is bounded in
 * entries and time, so a huge /var/log never holds `init` up. Symbolic links to directories are
 * not followed.
 */
export async function findRecentLogs(sources: readonly LogSource[], now: number): Promise<LogCandidate[]> {
  const budget = { entries: MAX_ENTRIES, until: monotonicMs() + SCAN_BUDGET_MS };
  const found = new Map<string, LogCandidate>();
  const consider = async (path: string, source: LogSource) => {
    if (found.has(path) || NOT_A_LOG.test(basename(path))) return;
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile() || info.size === 0 || now - info.mtimeMs > RECENT_MS) return;
    if (!(await access(path, constants.R_OK).then(() => true, () => false))) return;
    found.set(path, { path, mtimeMs: info.mtimeMs, size: info.size, from: source.from, own: source.own });
  };
  for (const source of sources) {
    if (source.kind === "file") await consider(source.path, source);
    else await scan(source.path, DEPTH, budget, (path) => consider(path, source));
  }
  return [...found.values()]
    .sort((a, b) => Number(b.own) - Number(a.own) || b.mtimeMs - a.mtimeMs)
    .slice(0, MAX_CANDIDATES);
}

async function scan(dir: string, depth: number, budget: { entries: number; until: number }, visit: (path: string) => Promise<void>): Promise<void> {
  const handle = await opendir(dir).catch(() => null);
  if (handle === null) return;
  try {
    for await (const entry of handle) {
      if ((budget.entries -= 1) < 0 || monotonicMs() > budget.until) return;
      const path = join(dir, entry.name);
      if (entry.isFile()) await visit(path);
      else if (entry.isDirectory() && depth > 1 && !SKIPPED_DIRS.has(entry.name)) await scan(path, depth - 1, budget, visit);
    }
  } catch {
    // A directory that went away or refused mid-scan: what was found stays.
  }
}
