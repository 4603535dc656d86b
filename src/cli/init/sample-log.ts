import { stat } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { readTailLines } from "../../checks/tail-lines.js";
import { monotonicMs } from "../../process/monotonic.js";
import { parseLineTime } from "./line-time.js";
import { proposeMatch, SAMPLE_LINES, isText, type MatchProposal } from "./propose-match.js";
import { proposeMaxAgeFromTimes, proposeMaxAgeFromWrites, type MaxAgeProposal } from "./propose-max-age.js";

/** What `init` proposes for a log, and how many lines it read to get there. */
export interface LogProposals {
  match: MatchProposal;
  maxAge: MaxAgeProposal;
  linesRead: number;
}

/** How long `init` watches a log without timestamps grow, and how often it looks. */
export const WATCH_MS = 8000;
const WATCH_POLL_MS = 100;
/** A huge line is read only this far; the whole tail at most this far back. */
const MAX_LINE_BYTES = 4096;
const MAX_SCAN_BYTES = 1024 * 1024;

/**
 * Reads the log's last lines (bounded in bytes; binary and huge lines are handled by the
 * proposals) and proposes a match and a max-age; when fewer than two lines carry a time, it
 * watches the file grow for `watchMs` first, after `onWatch` says so. Rejects when the file
 * cannot be read.
 */
export async function proposeForLog(path: string, options: { watchMs?: number; onWatch?: (ms: number) => void } = {}): Promise<LogProposals> {
  const tail = await readTailLines(path, SAMPLE_LINES, { maxLineBytes: MAX_LINE_BYTES, maxScanBytes: MAX_SCAN_BYTES });
  const times = tail.lines.filter(isText).flatMap((line) => {
    const time = parseLineTime(line);
    return time === null ? [] : [time.ms];
  });
  const match = proposeMatch(tail.lines);
  const fromTimes = proposeMaxAgeFromTimes(times);
  if (fromTimes !== null) return { match, maxAge: fromTimes, linesRead: tail.lines.length };
  const watchMs = options.watchMs ?? WATCH_MS;
  options.onWatch?.(watchMs);
  return { match, maxAge: proposeMaxAgeFromWrites(await watchGrowth(path, watchMs), watchMs), linesRead: tail.lines.length };
}

/** The moments (ms into the window) the file's size or mtime was seen to change. */
export async function watchGrowth(path: string, windowMs: number): Promise<number[]> {
  const started = monotonicMs();
  const writes: number[] = [];
  let last = await fingerprint(path);
  for (let elapsed = 0; elapsed < windowMs; elapsed = monotonicMs() - started) {
    await delay(Math.min(WATCH_POLL_MS, windowMs - elapsed));
    const now = await fingerprint(path);
    if (now !== last) writes.push(Math.min(monotonicMs() - started, windowMs));
    last = now;
  }
  return writes;
}

async function fingerprint(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  return info === null ? "" : `${info.size}:${info.mtimeMs}`;
}
