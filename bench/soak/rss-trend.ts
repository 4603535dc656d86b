import { median } from "../stats.js";

/** One reading of the daemon's memory, `atMs` after the soak began. */
export interface RssSample {
  atMs: number;
  rssBytes: number;
  anonBytes: number;
}

/** How the daemon's resident memory moved over the soak, from the samples after the warm-up. */
export interface RssTrend {
  n: number;
  min: number;
  median: number;
  max: number;
  /** Median of the first and of the last quarter of the samples (by time). */
  firstQuartileMedian: number;
  lastQuartileMedian: number;
  /** Least-squares slope of RSS over time, KiB per minute. */
  slopeKiBPerMin: number;
}

const MINUTE_MS = 60_000;
const KIB = 1024;

/** The trend of `samples` (at least one, in time order). */
export function rssTrend(samples: readonly RssSample[]): RssTrend {
  if (samples.length === 0) throw new RangeError("Cannot take the trend of no RSS samples");
  const values = samples.map((sample) => sample.rssBytes);
  const quarter = Math.max(1, Math.ceil(samples.length / 4));
  return {
    n: samples.length,
    min: Math.min(...values),
    median: median(values),
    max: Math.max(...values),
    firstQuartileMedian: median(values.slice(0, quarter)),
    lastQuartileMedian: median(values.slice(-quarter)),
    slopeKiBPerMin: slope(samples.map((sample) => [sample.atMs / MINUTE_MS, sample.rssBytes / KIB])),
  };
}

/** Least-squares slope of y over x; 0 for fewer than two distinct x. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** The RSS verdict: flat unless the last quarter's median exceeds the first quarter's by more than `allowedGrowthBytes`. */
export function rssIsFlat(trend: RssTrend, allowedGrowthBytes: number): boolean {
  return trend.lastQuartileMedian - trend.firstQuartileMedian <= allowedGrowthBytes;
}
