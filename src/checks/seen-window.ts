import type { ReadMark } from "./read-new-lines.js";

/**
 * What `log-activity` with `within` but no `timestamp` knows of a log: where its last read ended,
 * and when it saw the matching lines that are still in the window. Plain data: the daemon keeps
 * it in memory, `lifeguard check` in the store between runs (JSON).
 */
export interface SeenWindow {
  mark: ReadMark | null;
  /** For a journal: the cursor of the last entry read (journal-activity.ts); null for a file. */
  cursor: string | null;
  /** Wall time (ms) of the last look; null before the first. */
  lookedAt: number | null;
  /** `[at, count]`: how many matching lines were dated at `at` (wall ms), oldest first; none older than the window. */
  matches: Array<[number, number]>;
  /** The newest matching lines seen, shortened, oldest first. */
  recent: string[];
  /** The newest line seen that matches `forbid`, while it is in the window. */
  forbidden: { at: number; line: string } | null;
}

export const EMPTY_SEEN_WINDOW: SeenWindow = { mark: null, cursor: null, lookedAt: null, matches: [], recent: [], forbidden: null };

/** What one look found: the new lines' matches and the file's modification time. */
export interface Look {
  now: number;
  withinMs: number;
  mtimeMs: number;
  mark: ReadMark;
  matching: readonly string[];
  forbidden: string | undefined;
  recentKept: number;
}

/**
 * The window after one look. The lines the log gained since the last look were written after it
 * and no later than the file's modification time: they are dated at that time, kept between the
 * last look and `now` (a clock stepped back never dates a line after `now`). Entries older than
 * the window are dropped.
 */
export function noteLook(window: SeenWindow, look: Look): SeenWindow {
  const at = dateNewLines(look.mtimeMs, window.lookedAt, look.now);
  const since = look.now - look.withinMs;
  const matches = window.matches.filter(([when]) => when >= since);
  if (look.matching.length > 0) matches.push([at, look.matching.length]);
  const forbidden = look.forbidden !== undefined ? { at, line: look.forbidden } : window.forbidden !== null && window.forbidden.at >= since ? window.forbidden : null;
  return {
    ...window,
    mark: look.mark,
    lookedAt: look.now,
    matches,
    recent: [...window.recent, ...look.matching].slice(-look.recentKept),
    forbidden,
  };
}

/** A journal's new entries, each matching one dated by its own time (`at`), and the cursor after the last. */
export interface EntriesLook {
  now: number;
  withinMs: number;
  cursor: string | null;
  matching: ReadonlyArray<{ at: number; line: string }>;
  forbidden: { at: number; line: string } | undefined;
  recentKept: number;
}

/** The window after one read of a journal: its entries carry their own times; entries older than the window are dropped. */
export function noteEntries(window: SeenWindow, look: EntriesLook): SeenWindow {
  const since = look.now - look.withinMs;
  const matches = window.matches.filter(([when]) => when >= since);
  for (const { at } of look.matching) {
    const last = matches.at(-1);
    if (last !== undefined && last[0] === at) last[1] += 1;
    else if (at >= since) matches.push([at, 1]);
  }
  const forbidden = look.forbidden !== undefined && look.forbidden.at >= since ? look.forbidden : window.forbidden !== null && window.forbidden.at >= since ? window.forbidden : null;
  return {
    ...window,
    cursor: look.cursor ?? window.cursor,
    lookedAt: look.now,
    matches,
    recent: [...window.recent, ...look.matching.map(({ line }) => line)].slice(-look.recentKept),
    forbidden,
  };
}

/** The modification time, within [the last look, now] when the clock allows. */
function dateNewLines(mtimeMs: number, lookedAt: number | null, now: number): number {
  const atMost = Math.min(mtimeMs, now);
  return lookedAt !== null && lookedAt <= now ? Math.max(atMost, lookedAt) : atMost;
}

/** How many matching lines are in the window ending at `now`, and when the newest was dated. */
export function countInWindow(window: SeenWindow, now: number, withinMs: number): { count: number; newestAt: number | null } {
  const inWindow = window.matches.filter(([at]) => at >= now - withinMs);
  return { count: inWindow.reduce((sum, [, count]) => sum + count, 0), newestAt: inWindow.at(-1)?.[0] ?? null };
}

/** A remembered window, or null when the text is not one (another version's, damaged). */
export function parseSeenWindow(text: string | null): SeenWindow | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<SeenWindow>;
    if (!Array.isArray(value.matches) || !Array.isArray(value.recent) || value.lookedAt === undefined || value.mark === undefined) return null;
    return { mark: value.mark, cursor: value.cursor ?? null, lookedAt: value.lookedAt, matches: value.matches, recent: value.recent, forbidden: value.forbidden ?? null };
  } catch {
    return null;
  }
}
