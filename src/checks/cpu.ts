import type { CpuCheckConfig } from "../config/types.js";
import { cpuOver, cpuSince, keepSpan, type CpuSample, type CpuUse } from "../core/cpu-usage.js";
import { formatDuration } from "../core/duration.js";
import type { ServiceProcesses } from "../core/runner.js";
import { countOpenFiles, readProcessCpu } from "../process/proc-cpu.js";
import { watchStates } from "./cpu-states.js";
import type { Finding, ProbeFactory } from "./probe.js";
import { listServiceProcesses } from "./service-processes.js";

/** What one look at the service's processes read. */
interface CpuReading {
  /** CPU time (ms) of each living process, by pid and start time. */
  cpu: Map<string, number>;
  /** The time (ms) each one's threads ran or waited to run, by pid and start time. */
  demand: Map<string, number>;
  threads: number;
  fds: number;
}

/**
 * `cpu`: the CPU time of the service's processes, as its runner lists them each round, with their
 * threads and open files. The daemon's probe keeps the service's CPU time across rounds (each
 * process by pid and start time: one that ends or starts in between never skews it) and judges
 * `pegged` and `frozen` over their last `for` (core/cpu-usage.ts): `pegged` on the time its threads
 * ran or waited to run (a busy loop on a loaded box gets little CPU but wants all of it), `frozen`
 * on the CPU time it used. A new main process (a restart) starts a new series. The process states
 * (threads in `D`, zombies, growing counts) are watched beside it (cpu-states.ts).
 */
export const createCpuProbe: ProbeFactory<CpuCheckConfig> = (config, deps) => {
  const { runner, clock, serviceName } = deps;
  const spanMs = Math.max(config.pegged?.forMs ?? 0, config.frozen?.forMs ?? 0);
  let seen: CpuReading | null = null;
  let samples: CpuSample[] = [];
  let series: string | null = null;
  const states = watchStates(config, serviceName);
  return async (signal): Promise<Finding> => {
    const listed = await listServiceProcesses(runner, serviceName, "CPU", signal);
    if ("ok" in listed) return listed;
    const reading = readCpu(listed);
    if (reading.cpu.size === 0) {
      [seen, samples] = [null, []];
      states.reset();
      return { ok: true, summary: `No process of "${serviceName}" runs: no CPU to measure`, evidence: { source: listed.source, processes: 0 } };
    }
    const identity = listed.main === null ? series : `${listed.main.pid}:${listed.main.startTime}`;
    if (identity !== series) {
      [seen, samples, series] = [null, [], identity];
      states.reset();
    }
    const at = clock.monotonic();
    const last = samples.at(-1);
    const sample = last === undefined || seen === null ? { at, cpuMs: 0, demandMs: 0 } : { at, cpuMs: last.cpuMs + cpuSince(seen.cpu, reading.cpu), demandMs: last.demandMs + cpuSince(seen.demand, reading.demand) };
    [seen, samples] = [reading, keepSpan([...samples, sample], at, spanMs)];
    const cpuSeconds = [...reading.cpu.values()].reduce((sum, ms) => sum + ms, 0) / 1000;
    const evidence: Record<string, unknown> = { cpuSeconds, threads: reading.threads, fds: reading.fds, processes: reading.cpu.size, source: listed.source };
    const who = `"${serviceName}"`;
    const state = states.look(listed, reading, at);
    Object.assign(evidence, state.evidence);
    if (config.maxThreads !== null && reading.threads > config.maxThreads) return { ok: false, summary: `${who} runs ${reading.threads} threads, over its max-threads of ${config.maxThreads}`, evidence };
    if (config.maxFds !== null && reading.fds > config.maxFds) return { ok: false, summary: `${who} holds ${reading.fds} open files, over its max-fds of ${config.maxFds}`, evidence };
    if (state.failure !== null) return { ok: false, summary: state.failure, evidence };
    const pegged = config.pegged === null ? null : cpuOver(samples, config.pegged.forMs);
    const frozen = config.frozen === null ? null : cpuOver(samples, config.frozen.forMs);
    for (const use of [pegged, frozen]) if (use !== null) Object.assign(evidence, { cpuPercent: round(use.percent), demandPercent: round(use.demandPercent), spanMs: use.spanMs });
    // Judged on its demand: a busy loop on a box where others take the CPU is pegged all the same.
    if (pegged !== null && config.pegged !== null && pegged.demandPercent > config.pegged.abovePercent) {
      return { ok: false, summary: `${who} ran or waited to run ${round(pegged.demandPercent)}% of the last ${formatDuration(pegged.spanMs)} (${round(pegged.percent)}% of a core), above ${config.pegged.abovePercent}% for ${formatDuration(config.pegged.forMs)}: a busy loop?`, evidence };
    }
    if (frozen !== null && config.frozen !== null && frozen.percent < config.frozen.belowPercent) {
      return { ok: false, summary: `${who} ${describeUse(frozen)}, under ${config.frozen.belowPercent}% for ${formatDuration(config.frozen.forMs)}: it does no work (a deadlock, a read that never ends?)`, evidence };
    }
    const now = pegged ?? frozen;
    return { ok: true, summary: `${who} ${now === null ? `has used ${cpuSeconds.toFixed(1)}s of CPU` : describeUse(now)}; ${count(reading.threads, "thread")}, ${count(reading.fds, "open file")}`, evidence };
  };
};

/** CPU time, threads and open files of every listed process that still runs. */
function readCpu(listed: ServiceProcesses): CpuReading {
  const reading: CpuReading = { cpu: new Map(), demand: new Map(), threads: 0, fds: 0 };
  for (const process of listed.processes) {
    const cpu = readProcessCpu(process);
    if (cpu === null) continue;
    const key = `${process.pid}:${process.startTime}`;
    reading.cpu.set(key, cpu.cpuMs);
    reading.demand.set(key, cpu.demandMs);
    reading.threads += cpu.threads;
    reading.fds += countOpenFiles(process.pid) ?? 0;
  }
  return reading;
}

/** `used 0.4% of a core over the last 10s`. */
function describeUse(use: CpuUse): string {
  return `used ${round(use.percent)}% of a core over the last ${formatDuration(use.spanMs)}`;
}

/** `1 thread`, `3 threads`. */
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

function round(percent: number): number {
  return percent < 10 ? Math.round(percent * 10) / 10 : Math.round(percent);
}
