import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { CLOCK_TICKS, readProcUsage, type ProcUsage } from "./proc-usage.js";
import { summarise, type Summary } from "./stats.js";

const MIB = 1024 * 1024;
/** CPU is read per slice of this length too, to show how steady it is (a tick is 10 ms: 0.1 % of one core over 10 s). */
export const CPU_SLICE_MS = 10_000;

/** One reading of a process's /proc figures, with when it was taken. */
export interface Sample {
  at: number;
  usage: ProcUsage;
}

/** A process to sample, named for the error when it exits during the window. */
export interface Watched {
  name: string;
  pid: number;
}

/**
 * Reads the /proc figures of every process at the same ticks, every `sampleMs` for `windowMs`:
 * processes measured in one window meet the same machine. The bench itself stays idle in between.
 */
export async function sampleTogether(watched: readonly Watched[], options: { windowMs: number; sampleMs: number }): Promise<Sample[][]> {
  const samples: Sample[][] = watched.map(() => []);
  const start = performance.now();
  for (let next = start; next <= start + options.windowMs; next += options.sampleMs) {
    await delay(Math.max(0, next - performance.now()));
    watched.forEach(({ name, pid }, i) => {
      const usage = readProcUsage(pid);
      if (usage === null) throw new Error(`${name} (pid ${pid}) exited during the measurement`);
      samples[i]?.push({ at: performance.now(), usage });
    });
  }
  return samples;
}

/** % of one core between two samples. */
export const cpuPercent = (from: Sample, to: Sample): number => ((to.usage.cpuTicks - from.usage.cpuTicks) / CLOCK_TICKS / ((to.at - from.at) / 1000)) * 100;

/** CPU over the whole window, and per CPU_SLICE_MS slice. */
export function cpuFigures(samples: Sample[], sampleMs: number): { whole: number; slices: Summary } {
  const step = Math.max(1, Math.round(CPU_SLICE_MS / sampleMs));
  const slices: number[] = [];
  for (let i = step; i < samples.length; i += step) slices.push(cpuPercent(samples[i - step] as Sample, samples[i] as Sample));
  const whole = cpuPercent(samples[0] as Sample, samples.at(-1) as Sample);
  return { whole, slices: summarise(slices.length > 0 ? slices : [whole]) };
}

/** The median over the samples of one /proc figure. */
export const medianOf = (samples: Sample[], pick: (usage: ProcUsage) => number): number => summarise(samples.map((s) => pick(s.usage))).median;

export const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;
export const percent = (value: number): string => `${value.toFixed(2)} %`;
