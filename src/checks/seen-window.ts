import type { ReadMark } from "./read-new-lines.js";

/**
 * What `log-activity` with `within` but no `timestamp` knows of a log: where its last read ended,
 * and when it saw the matching lines that are still in the window. Plain data: the daemon keeps
 * it in memory, `lifeguard check` in the store between runs (JSON).
 */
export interface SeenWindow {
  mark: ReadMark | null;
  /** Wall time (ms) of the last look; null before the first. */
  lookedAt: number | null;
  /** `[at, count]`: how many matching lines were dated at `at` (wall ms), oldest first; none older than the window. */
  matches: Array<[number, number]>;
  /** The newest matching lines seen, shortened, oldest first. */
  recent: string[];
  /** The newest line seen that matches `forbid`, while it is in the window. */
  forbidden: { at: number; line: string } | null;
}

export const EMPTY_SEEN_WINDOW: SeenWindow = { mark: null, lookedAt: null, matches: [], recent: [], forbidden: null };

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
    mark: look.mark,
    lookedAt: look.now,
    matches,
    recent: [...window.recent, ...look.matching].slice(-look.recentKept),
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
    return { mark: value.mark, lookedAt: value.lookedAt, matches: value.matches, recent: value.recent, forbidden: value.forbidden ?? null };
  } catch {
    return null;
  }
}
