/**
 * The leak trend of a service's memory, from samples the daemon keeps: pure arithmetic, times and
 * sizes as plain numbers.
 *
 * A leak is read from the *troughs*: the window is cut into segments and the lowest sample of each
 * is taken. A garbage-collected heap saws up and down (each tooth's rise looks like a leak), but
 * its troughs stay level; a leak raises every trough; a step (a reload that loads more) raises one
 * trough once. So the memory is rising only when every segment's trough is above the one before,
 * and the slope is the least-squares line through those troughs.
 */

/** One measurement: when (ms on a monotonic clock) and how many bytes. */
export interface MemorySample {
  at: number;
  bytes: number;
}

/** What the samples of a window say. */
export interface MemoryTrend {
  /** Bytes per ms of the troughs' least-squares line; negative when they fall. */
  slope: number;
  /** Every segment's trough is above the one before: a leak, not a sawtooth, a step or noise. */
  rising: boolean;
  /** The troughs the slope was fitted to. */
  troughs: MemorySample[];
}

/** How many segments the window is cut into at most: more troughs, fewer chance rises (1 in 720 for six). */
export const TREND_SEGMENTS = 6;
/** Fewer segments than this say nothing: 3 troughs rise by chance one time in six. */
const MIN_SEGMENTS = 4;
/** Each segment holds at least this many samples, so that its trough is a trough. */
const SAMPLES_PER_SEGMENT = 2;

/** The fewest samples a trend is read from. */
export const MIN_TREND_SAMPLES = MIN_SEGMENTS * SAMPLES_PER_SEGMENT;

/** The trend of `samples` (oldest first), or null when there are too few to tell. */
export function memoryTrend(samples: readonly MemorySample[]): MemoryTrend | null {
  const troughs = segmentLows(samples, (sample) => sample.bytes);
  if (troughs === null) return null;
  return { slope: leastSquaresSlope(troughs), rising: isEachAbove(troughs, (sample) => sample.bytes), troughs };
}

/**
 * The lowest of `samples` (oldest first) in each of up to TREND_SEGMENTS equal segments, by
 * `valueOf`: the troughs a trend is read from (memory here, a count of threads or files in
 * count-growth.ts). Null for fewer than MIN_TREND_SAMPLES: too few to tell.
 */
export function segmentLows<T>(samples: readonly T[], valueOf: (sample: T) => number): T[] | null {
  if (samples.length < MIN_TREND_SAMPLES) return null;
  const count = Math.min(TREND_SEGMENTS, Math.floor(samples.length / SAMPLES_PER_SEGMENT));
  const lows: T[] = [];
  for (let segment = 0; segment < count; segment += 1) {
    const part = samples.slice(Math.floor((segment * samples.length) / count), Math.floor(((segment + 1) * samples.length) / count));
    lows.push(part.reduce((low, sample) => (valueOf(sample) < valueOf(low) ? sample : low)));
  }
  return lows;
}

/** Every one of `lows` is above the one before: a rise, not a sawtooth, a step or noise. */
export function isEachAbove<T>(lows: readonly T[], valueOf: (sample: T) => number): boolean {
  return lows.every((low, index) => index === 0 || valueOf(low) > valueOf(lows[index - 1] as T));
}

/** The slope (bytes per ms) of the least-squares line through `points`; 0 for fewer than two distinct times. */
export function leastSquaresSlope(points: readonly MemorySample[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanAt = points.reduce((sum, point) => sum + point.at, 0) / n;
  const meanBytes = points.reduce((sum, point) => sum + point.bytes, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.at - meanAt) * (point.bytes - meanBytes);
    variance += (point.at - meanAt) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * How long (ms) until `bytes` reaches `limit` at `slope` bytes per ms: 0 when it is there already,
 * null when it is not rising (it never gets there at this pace).
 */
export function timeToLimit(bytes: number, limit: number, slope: number): number | null {
  if (bytes >= limit) return 0;
  return slope > 0 ? (limit - bytes) / slope : null;
}

/** The samples taken within `windowMs` before `now`: the window the trend is read from. */
export function keepWindow(samples: readonly MemorySample[], now: number, windowMs: number): MemorySample[] {
  const from = now - windowMs;
  return samples.filter((sample) => sample.at >= from);
}
