import { formatDuration, formatSize } from "../core/duration.js";
import type { MemoryLimit } from "../core/runner.js";

/** What one round of the `memory` check measured, for its summaries. */
export interface MemoryReading {
  service: string;
  bytes: number;
  measure: "rss" | "pss";
  of: "service" | "main";
  processes: number;
  source: string;
}

/** `1 process`, `3 processes`. */
const processes = (count: number): string => `${count} ${count === 1 ? "process" : "processes"}`;

/** `120MiB RSS (3 processes)`, `80MiB PSS (main process)`. */
function describeSize(reading: MemoryReading): string {
  return `${formatSize(reading.bytes)} ${reading.measure.toUpperCase()} (${reading.of === "main" ? "main process" : processes(reading.processes)})`;
}

export function describeUse(reading: MemoryReading): string {
  return `"${reading.service}" uses ${describeSize(reading)}`;
}

export function describeOverMax(reading: MemoryReading, maxBytes: number): string {
  return `"${reading.service}" uses ${describeSize(reading)}, over its max of ${formatSize(maxBytes)}`;
}

/** `"bot" would reach its limit of 200MiB (memory.max) in 40s at 3.1MiB/min (120MiB RSS now); restart-before-oom is 1m`. */
export function describeLeak(reading: MemoryReading, limit: MemoryLimit, slope: number, projectedMs: number, beforeMs: number): string {
  const perMinute = formatSize(slope * 60_000);
  return `"${reading.service}" would reach its limit of ${formatSize(limit.bytes)} (${limit.from}) in ${formatDuration(projectedMs)} at ${perMinute}/min (${describeSize(reading)} now); restart-before-oom is ${formatDuration(beforeMs)}`;
}
