import type { MemoryCheckConfig } from "../config/types.js";
import { keepWindow, memoryTrend, timeToLimit, type MemorySample } from "../core/memory-trend.js";
import type { MemoryLimit, ServiceProcess } from "../core/runner.js";
import { processAgeMs, readOomKills, readProcessMemory } from "../process/proc-memory.js";
import { describeLeak, describeOverMax, describeUse, type MemoryReading } from "./memory-finding.js";
import type { Finding, ProbeFactory } from "./probe.js";
import { listServiceProcesses } from "./service-processes.js";

/** How many of the last samples the evidence shows. */
const SAMPLES_SHOWN = 10;

/**
 * `memory`: the memory of the service's processes, as its runner lists them each round, against
 * `max`; and, from the samples this probe keeps between rounds (the daemon's), the leak trend
 * against the tightest of `max` and the cgroup's limits (core/memory-trend.ts). A new main process
 * (a restart) starts a new series; samples of its first `warmup` are left out.
 */
export const createMemoryProbe: ProbeFactory<MemoryCheckConfig> = (config, deps) => {
  const { runner, clock, serviceName } = deps;
  let samples: MemorySample[] = [];
  let series: string | null = null;
  return async (signal): Promise<Finding> => {
    const listed = await listServiceProcesses(runner, serviceName, "memory", signal);
    if ("ok" in listed) return listed;
    const measured = config.of === "main" ? (listed.main === null ? [] : [listed.main]) : listed.processes;
    const bytes = sumMemory(measured, config.measure);
    if (bytes === null) {
      samples = [];
      // Whether it should run is the `running` check's to judge.
      return { ok: true, summary: `No process of "${serviceName}" runs: no memory to measure`, evidence: { source: listed.source, processes: 0 } };
    }
    const first = listed.main ?? (measured[0] as ServiceProcess);
    const identity = `${first.pid}:${first.startTime}`;
    if (identity !== series) [samples, series] = [[], identity];
    const now = clock.monotonic();
    if ((processAgeMs(first.startTime) ?? Infinity) >= config.warmupMs) samples = keepWindow([...samples, { at: now, bytes }], now, config.windowMs);
    const reading: MemoryReading = { service: serviceName, bytes, measure: config.measure, of: config.of, processes: measured.length, source: listed.source };
    const limit = limitOf(config.maxBytes, listed.memoryLimit);
    const oomKills = listed.cgroup === null ? null : readOomKills(listed.cgroup);
    const evidence: Record<string, unknown> = { [`${config.measure}Bytes`]: bytes, processes: measured.length, source: listed.source, samples: samples.slice(-SAMPLES_SHOWN).map((sample) => sample.bytes), ...(limit === null ? {} : { limitBytes: limit.bytes, limitFrom: limit.from }), ...(oomKills === null ? {} : { oomKills }) };
    if (config.maxBytes !== null && bytes > config.maxBytes) return { ok: false, summary: describeOverMax(reading, config.maxBytes), evidence };
    const trend = config.restartBeforeOomMs === null ? null : memoryTrend(samples);
    if (trend !== null) {
      const projectedMs = trend.rising && limit !== null ? timeToLimit(bytes, limit.bytes, trend.slope) : null;
      Object.assign(evidence, { slopeMiBPerMin: Math.round((trend.slope * 60_000 * 10) / 2 ** 20) / 10, rising: trend.rising, projectedMs });
      if (projectedMs !== null && limit !== null && projectedMs < (config.restartBeforeOomMs as number)) {
        return { ok: false, summary: describeLeak(reading, limit, trend.slope, projectedMs, config.restartBeforeOomMs as number), evidence };
      }
    }
    return { ok: true, summary: describeUse(reading), evidence };
  };
};

/** The summed memory of `processes`; null when none could be read (none runs). */
function sumMemory(processes: readonly ServiceProcess[], measure: "rss" | "pss"): number | null {
  const sizes = processes.map((process) => readProcessMemory(process, measure)).filter((size) => size !== null);
  return sizes.length === 0 ? null : sizes.reduce((sum, size) => sum + size, 0);
}

/** The tightest limit the memory may reach: `max`, or the service's own (MemoryMax=, memory.high...). */
function limitOf(maxBytes: number | null, own: MemoryLimit | null): MemoryLimit | null {
  const limits: MemoryLimit[] = [...(maxBytes === null ? [] : [{ bytes: maxBytes, from: "max" }]), ...(own === null ? [] : [own])];
  return limits.reduce<MemoryLimit | null>((low, limit) => (low === null || limit.bytes < low.bytes ? limit : low), null);
}
