/** The figures reported for one series of timings or sizes. */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty series: always one of the observed values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("Cannot take a percentile of an empty series");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function summarise(values: readonly number[]): Summary {
  return { n: values.length, median: median(values), p95: percentile(values, 95), min: Math.min(...values), max: Math.max(...values) };
}
