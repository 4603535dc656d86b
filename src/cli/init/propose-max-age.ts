import { formatDuration } from "../../core/duration.js";

/** A proposed `max-age` for `log-fresh`, and why. */
export interface MaxAgeProposal {
  value: string;
  ms: number;
  why: string;
}

/** max-age is this many times the largest gap seen: one late write is no freeze. */
export const MAX_AGE_MULTIPLE = 3;
/** Never less: a check run every minute (cron, a timer) needs at least a minute's slack. */
export const MAX_AGE_FLOOR_MS = 60_000;
/** When nothing could be observed: the seed's own value. */
export const FALLBACK_MAX_AGE = { value: "5m", ms: 300_000 } as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Durations a person would choose; a proposal is rounded up to the next of them. */
const FRIENDLY_MS = [1, 2, 3, 5, 10, 15, 20, 30, 45].map((m) => m * MINUTE).concat([1, 2, 3, 6, 12].map((h) => h * HOUR), [1, 2, 7].map((d) => d * DAY));

/**
 * max-age from the times the last lines carry (`parseLineTime`), in file order: the gaps between
 * consecutive lines (a line older than the one before it is skipped: a clock that stepped back),
 * times MAX_AGE_MULTIPLE, rounded up to a friendly duration, at least MAX_AGE_FLOOR_MS. Null with
 * fewer than two lines that have a time: then watch the file grow (`proposeMaxAgeFromWrites`).
 */
export function proposeMaxAgeFromTimes(times: readonly number[]): MaxAgeProposal | null {
  if (times.length < 2) return null;
  const gaps = times.slice(1).map((time, index) => time - (times[index] as number)).filter((gap) => gap > 0);
  const seen = `${times.length} lines with a time`;
  if (gaps.length === 0) return floorOnly(`the last ${seen} were all written within the same second`);
  return fromLargestGap(Math.max(...gaps), `the log was written every ${range(gaps)} (${seen})`);
}

/**
 * max-age from watching the file for `windowMs`: `writes` are the moments (ms into the window)
 * it was seen to grow. The quiet stretches between them, and before the first and after the last,
 * are each shorter than the real gap or equal to it, so the longest is the estimate. Nothing
 * written at all: the fallback, said as such.
 */
export function proposeMaxAgeFromWrites(writes: readonly number[], windowMs: number): MaxAgeProposal {
  const watched = formatDuration(windowMs);
  if (writes.length === 0) {
    return { ...FALLBACK_MAX_AGE, why: `the log has no timestamps and did not grow in the ${watched} watched, so this is the seed's ${FALLBACK_MAX_AGE.value}: make it a few times the longest the log can stay quiet` };
  }
  const stretches = [writes[0] as number, ...writes.slice(1).map((time, index) => time - (writes[index] as number)), windowMs - (writes.at(-1) as number)];
  const times = writes.length === 1 ? "once" : `${writes.length} times`;
  return fromLargestGap(Math.max(...stretches), `the log has no timestamps; it grew ${times} in the ${watched} watched, quiet for at most ${formatDuration(Math.max(...stretches))}`);
}

/** MAX_AGE_MULTIPLE × the largest gap, rounded up to a friendly duration, never below the floor. */
function fromLargestGap(largestMs: number, seen: string): MaxAgeProposal {
  const wanted = largestMs * MAX_AGE_MULTIPLE;
  if (wanted <= MAX_AGE_FLOOR_MS) return floorOnly(seen);
  const ms = friendlyAtLeast(wanted);
  return { value: formatDuration(ms), ms, why: `${seen}: ${MAX_AGE_MULTIPLE} × the largest gap (${formatDuration(largestMs)}), rounded up` };
}

function floorOnly(seen: string): MaxAgeProposal {
  const value = formatDuration(MAX_AGE_FLOOR_MS);
  return { value, ms: MAX_AGE_FLOOR_MS, why: `${seen}: ${MAX_AGE_MULTIPLE} × the largest gap is under ${value}, the least Lifeguard proposes (a check may run only once a minute)` };
}

/** The smallest friendly duration of at least `ms`; beyond a week, whole days. */
export function friendlyAtLeast(ms: number): number {
  return FRIENDLY_MS.find((friendly) => friendly >= ms) ?? Math.ceil(ms / DAY) * DAY;
}

/** `20s–35s`, or `20s` when every gap was the same. */
function range(gaps: readonly number[]): string {
  const [low, high] = [formatDuration(Math.min(...gaps)), formatDuration(Math.max(...gaps))];
  return low === high ? low : `${low}–${high}`;
}
