/**
 * How busy a service's processes were over a span, from samples the daemon keeps: pure arithmetic,
 * times and CPU times as plain numbers.
 */

/**
 * One look: when (ms on a monotonic clock), the CPU time (ms) the service used in all since the
 * first look, and the time its threads ran or waited on a run queue to run (its demand: a busy loop
 * on a box where others take the CPU uses little of it, but demands all of it).
 */
export interface CpuSample {
  at: number;
  cpuMs: number;
  demandMs: number;
}

/** The CPU the service used over a span, in percent of one core (a busy loop in one thread: 100). */
export interface CpuUse {
  percent: number;
  /** The time it ran or waited to run, in percent of the span: a busy loop 100 whatever the load. */
  demandPercent: number;
  /** The span actually covered: from the latest sample at least `spanMs` old to the last one. */
  spanMs: number;
}

/**
 * The CPU use over the last `spanMs` of `samples` (oldest first), or null while they do not
 * reach that far back: a verdict on a span needs the whole span seen.
 */
export function cpuOver(samples: readonly CpuSample[], spanMs: number): CpuUse | null {
  const last = samples.at(-1);
  if (last === undefined) return null;
  let base: CpuSample | undefined;
  for (const sample of samples) if (sample.at <= last.at - spanMs) base = sample;
  if (base === undefined || last.at === base.at) return null;
  const covered = last.at - base.at;
  return { percent: ((last.cpuMs - base.cpuMs) / covered) * 100, demandPercent: ((last.demandMs - base.demandMs) / covered) * 100, spanMs: covered };
}

/** The samples a span of `spanMs` still needs at `now`: the latest one at least that old, and all after it. */
export function keepSpan<T extends { at: number }>(samples: readonly T[], now: number, spanMs: number): T[] {
  let from = 0;
  samples.forEach((sample, index) => {
    if (sample.at <= now - spanMs) from = index;
  });
  return samples.slice(from);
}

/**
 * The time (ms: CPU or demand) used between two looks at the same processes, keyed by pid and start time:
 * a process seen both times adds its growth, a process new since then all its time (it started
 * in between), a process gone adds nothing more (what it used before it ended is lost to this look).
 */
export function cpuSince(before: ReadonlyMap<string, number>, now: ReadonlyMap<string, number>): number {
  let used = 0;
  for (const [key, cpuMs] of now) used += Math.max(0, cpuMs - (before.get(key) ?? 0));
  return used;
}
