// The long memory window's section: pure, samples in, tables and verdicts out.
import { cleanupFinding, formatSeconds } from "./daemon-report.js";
import type { IdleRun, IdleShape } from "./idle-daemon.js";
import { label } from "./idle-report.js";
import { formatBytes, verdict, type Section, type Table } from "./report.js";
import { cpuFigures, medianOf, mib, percent, type Sample } from "./sampling.js";
import { slope } from "./soak/rss-trend.js";
import { summarise } from "./stats.js";

const MIB = 1024 * 1024;
const MINUTE_MS = 60_000;
/** Issue 14: 200 services add at most this much over 1 service. */
export const PER_SERVICE_BUDGET_BYTES = 10 * MIB;
/** Flat: RSS grows by at most this much per 10 minutes (least-squares slope over the window). */
export const FLAT_BYTES_PER_10_MIN = 1 * MIB;

export interface MemoryWindowOptions {
  settleMs: number;
  windowMs: number;
  sampleMs: number;
}

/** One daemon of the window: its shape, what sets it apart, its launcher (bin/lifeguard.js when undefined). */
export interface MemoryDaemon {
  shape: IdleShape;
  label: string;
  launcher: string | undefined;
}

export interface MemoryWindowRun {
  daemon: MemoryDaemon;
  run: IdleRun;
}

/** How one daemon's RSS moved over the window. */
export interface RssMovement {
  median: number;
  p95: number;
  min: number;
  max: number;
  n: number;
  /** Medians of the samples in the window's first and last minute. */
  firstMinute: number;
  lastMinute: number;
  /** Least-squares slope, bytes per 10 minutes. */
  slopePer10Min: number;
}

/** The movement of `samples` (in time order, at least two). */
export function rssMovement(samples: readonly Sample[]): RssMovement {
  const start = (samples[0] as Sample).at;
  const end = (samples.at(-1) as Sample).at;
  const rss = (within: readonly Sample[]): number[] => within.map((s) => s.usage.rssBytes);
  const summary = summarise(rss(samples));
  const minute = Math.min(MINUTE_MS, (end - start) / 2);
  return {
    ...summary,
    firstMinute: summarise(rss(samples.filter((s) => s.at - start <= minute))).median,
    lastMinute: summarise(rss(samples.filter((s) => end - s.at <= minute))).median,
    slopePer10Min: slope(samples.map((s) => [(s.at - start) / (10 * MINUTE_MS), s.usage.rssBytes])),
  };
}

const rowName = (daemon: MemoryDaemon): string => `${label(daemon.shape)}, ${daemon.label}`;
const signedMib = (bytes: number): string => `${bytes >= 0 ? "+" : "−"}${mib(Math.abs(bytes))}`;

export function describeMemoryWindow(runs: MemoryWindowRun[], options: MemoryWindowOptions): Section {
  const one = runs.find((r) => r.daemon.shape.services === 1 && r.daemon.launcher === undefined);
  const many = runs.find((r) => r.daemon.shape.services > 1 && r.daemon.launcher === undefined);
  if (one === undefined || many === undefined) throw new Error("The memory window needs the 1-service and the many-service daemon as shipped");
  const budget = rssMovement(one.run.samples).median + PER_SERVICE_BUDGET_BYTES;
  const table: Table = {
    caption: `Resident memory (VmRSS every ${options.sampleMs / 1000} s) and CPU of each daemon over the same ${formatSeconds(options.windowMs)}`,
    columns: ["daemon", "VmRSS: median", "first minute", "last minute", "slope / 10 min", "p95", "min – max", "n", "anonymous (median)", "CPU, % of one core", "goal", ""],
    rows: runs.map(({ daemon, run }) => {
      const m = rssMovement(run.samples);
      const goal = run === many.run ? [`≤ ${mib(budget)}, flat`, verdict(m.median <= budget && m.slopePer10Min <= FLAT_BYTES_PER_10_MIN)] : ["–", ""];
      const anon = medianOf(run.samples, (u) => u.rssAnonBytes);
      return [rowName(daemon), mib(m.median), mib(m.firstMinute), mib(m.lastMinute), signedMib(m.slopePer10Min), mib(m.p95), `${mib(m.min)} – ${mib(m.max)}`, String(m.n), mib(anon), percent(cpuFigures(run.samples, options.sampleMs).whole), ...goal];
    }),
  };
  return {
    title: "Daemon: memory per service over a long window",
    method: method(runs, options),
    tables: [table],
    findings: findings(runs, one, many, options),
  };
}

function method(runs: MemoryWindowRun[], options: MemoryWindowOptions): string[] {
  return [
    `The idle daemons of the section "Daemon: idle CPU and memory" (sleeping bots under \`running\` and \`log-fresh\`, a line appended to each log every 10 s, no HTTP request): ${runs.map((r) => rowName(r.daemon)).join("; ")}. Started one after the other, then ${formatSeconds(options.settleMs)} to settle, then \`/proc/PID/status\` and \`/proc/PID/stat\` of each daemon's own pid read at the same ticks every ${options.sampleMs / 1000} s for ${formatSeconds(options.windowMs)}.`,
    "First and last minute: the median of the samples taken in the window's first and last 60 s. Slope: least-squares fit of VmRSS over the whole window, in MiB per 10 minutes (a garbage collection moves RSS by a few MiB either way; a leak shows as a steady slope).",
    `Goal (issue 14): the many-service daemon's median at most the 1-service daemon's median in the same window + ${formatBytes(PER_SERVICE_BUDGET_BYTES)}, and flat: a slope of at most ${formatBytes(FLAT_BYTES_PER_10_MIN)} per 10 minutes. The daemon with V8's default heap sizing is the same build and bundle started without the launcher's heap flags: what those flags save, and what they cost in CPU, in the same window.`,
  ];
}

function findings(runs: MemoryWindowRun[], one: MemoryWindowRun, many: MemoryWindowRun, options: MemoryWindowOptions): string[] {
  const oneRss = rssMovement(one.run.samples);
  const manyRss = rssMovement(many.run.samples);
  const over = manyRss.median - oneRss.median;
  const flat = manyRss.slopePer10Min <= FLAT_BYTES_PER_10_MIN;
  const out = [
    `${verdict(over <= PER_SERVICE_BUDGET_BYTES)} ${label(many.daemon.shape)}: ${mib(manyRss.median)}, ${signedMib(over)} over ${label(one.daemon.shape)} (${mib(oneRss.median)}) in the same window (at most +${formatBytes(PER_SERVICE_BUDGET_BYTES)}); ${formatBytes(Math.round(over / (many.daemon.shape.services - 1)))} per service added.`,
    `${verdict(flat)} Flat: ${label(many.daemon.shape)} ${mib(manyRss.firstMinute)} in the first minute, ${mib(manyRss.lastMinute)} in the last; slope ${signedMib(manyRss.slopePer10Min)} per 10 minutes (at most +${formatBytes(FLAT_BYTES_PER_10_MIN)}). ${label(one.daemon.shape)}: ${mib(oneRss.firstMinute)} → ${mib(oneRss.lastMinute)}, slope ${signedMib(oneRss.slopePer10Min)} per 10 minutes.`,
  ];
  for (const other of runs.filter((r) => r !== one && r !== many)) {
    const rss = rssMovement(other.run.samples);
    const cpu = (run: IdleRun): number => cpuFigures(run.samples, options.sampleMs).whole;
    out.push(`${rowName(other.daemon)}: ${mib(rss.median)} (first minute ${mib(rss.firstMinute)}, last ${mib(rss.lastMinute)}, p95 ${mib(rss.p95)}) against ${mib(manyRss.median)} as shipped: the launcher's heap flags save ${mib(rss.median - manyRss.median)} (median) and ${mib(rss.p95 - manyRss.p95)} (p95); CPU ${percent(cpu(many.run))} as shipped against ${percent(cpu(other.run))}.`);
  }
  for (const { daemon, run } of runs) out.push(`${rowName(daemon)}: ${run.roundsFresh} of ${daemon.shape.services} services had their checks run within the last interval when the window ended; ${run.restarts} restarts.`);
  out.push(cleanupFinding(runs.map((r) => r.run.shutdown)));
  return out;
}
