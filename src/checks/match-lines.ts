import { setImmediate as nextTurn } from "node:timers/promises";
import { lazyRe2 } from "../process/lazy-re2.js";

/** How many of the most recent matching lines a finding's evidence keeps. */
export const RECENT_MATCHES_KEPT = 5;

/** A compiled log pattern: one test of one line, in time linear in the line's length. */
export interface LinePattern {
  test(line: string): boolean;
}

/**
 * Characters of log text matched between two turns of the event loop. Each line is already cut
 * (TAIL_MAX_LINE_BYTES) and RE2 is linear, so a slice costs milliseconds: the daemon's other
 * services, its HTTP and its systemd pings are never held up longer, and a check's timeout can
 * stop a scan of 100000 long lines.
 */
export const MATCH_SLICE_CHARS = 1024 * 1024;

/**
 * Compiles a log pattern with RE2 (re2js): no backtracking, so no pattern (`(a+)+$`) and no
 * line can take more than linear time. The config has already refused what RE2 cannot compile;
 * a pattern that reaches here unchecked (the library) gets RE2's error. re2js is loaded with the
 * first pattern (process/lazy-re2.ts): a daemon without one never holds it.
 */
export function compileLinePattern(source: string, ignoreCase: boolean): LinePattern | Error {
  const { RE2JS } = lazyRe2();
  try {
    const compiled = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    return { test: (line) => compiled.test(line) };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** How a scan goes through the lines; `sliceChars` is a test seam. */
interface ScanOptions {
  signal: AbortSignal;
  sliceChars?: number;
}

/** The lines that match, oldest first; rejects when `signal` aborts (the check timed out). */
export function filterLines(lines: readonly string[], pattern: LinePattern, options: ScanOptions): Promise<string[]> {
  return scanLines(lines, pattern, options, false);
}

/** The newest line that matches, or undefined; rejects when `signal` aborts. */
export async function findLastLine(lines: readonly string[], pattern: LinePattern, options: ScanOptions): Promise<string | undefined> {
  return (await scanLines(lines.toReversed(), pattern, options, true))[0];
}

async function scanLines(lines: readonly string[], pattern: LinePattern, options: ScanOptions, firstOnly: boolean): Promise<string[]> {
  const sliceChars = options.sliceChars ?? MATCH_SLICE_CHARS;
  const matching: string[] = [];
  let sliced = 0;
  for (const line of lines) {
    if (pattern.test(line)) {
      matching.push(line);
      if (firstOnly) break;
    }
    sliced += line.length;
    if (sliced >= sliceChars) {
      sliced = 0;
      await nextTurn(undefined, { signal: options.signal });
    }
  }
  return matching;
}

/** What a log's lines show: those that match `match`, oldest first, and the newest that matches `forbid`. */
export interface MatchedLines {
  matching: string[];
  forbidden: string | undefined;
}

/** Scans `lines` for `match` and `forbid` (null: none); rejects when `signal` aborts. */
export async function matchLines(lines: readonly string[], match: LinePattern, forbid: LinePattern | null, signal: AbortSignal): Promise<MatchedLines> {
  const matching = await filterLines(lines, match, { signal });
  return { matching, forbidden: forbid === null ? undefined : await findLastLine(lines, forbid, { signal }) };
}
