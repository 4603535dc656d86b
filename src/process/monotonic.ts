/**
 * Milliseconds on the monotonic clock (CLOCK_MONOTONIC, fractions included), for durations and
 * deadlines within this process. It is what `performance.now()` measures, less its origin, without
 * loading perf_hooks: the daemon would hold that module's code for nothing else (memory on a Pi).
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1_000_000;
}
