/**
 * Whether a count (a service's threads, its open files) grows without bound, from samples the
 * daemon keeps: pure arithmetic, times and counts as plain numbers.
 *
 * Read as memory-trend.ts reads a leak, from the lows: the window is cut into segments and the
 * lowest count of each is taken. A service whose threads or files go up and down with its work
 * returns to its low in every segment; one that opens a file per request and never closes it
 * raises every low. A step (a pool that grew once) raises one low, then stays: not growth.
 */
import { isEachAbove, segmentLows } from "./memory-trend.js";

/** One look: when (ms on a monotonic clock) and how many. */
export interface CountSample {
  at: number;
  count: number;
}

/** A count that grew across a whole window. */
export interface CountGrowth {
  /** The lowest count of each segment of the window, oldest first: each above the one before. */
  lows: number[];
  /** The span the samples cover (ms): the whole window at least. */
  spanMs: number;
}

/**
 * The growth of `samples` (oldest first) over the last `windowMs`: null when the count returned to
 * an earlier low, when the samples do not yet reach that far back (a verdict on a window needs the
 * whole window seen), or when too few lie in it to tell (memory-trend.ts's MIN_TREND_SAMPLES).
 */
export function growthOver(samples: readonly CountSample[], windowMs: number): CountGrowth | null {
  const last = samples.at(-1);
  if (last === undefined) return null;
  let start = -1;
  samples.forEach((sample, index) => {
    if (sample.at <= last.at - windowMs) start = index;
  });
  if (start < 0) return null;
  const window = samples.slice(start);
  const lows = segmentLows(window, (sample) => sample.count);
  if (lows === null || !isEachAbove(lows, (sample) => sample.count)) return null;
  return { lows: lows.map((low) => low.count), spanMs: last.at - (window[0] as CountSample).at };
}
