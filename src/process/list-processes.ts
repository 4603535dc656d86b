import { readdirSync } from "node:fs";
import { readProcStat, type ProcStat } from "./proc-stat.js";

/** States of a process that has ended: a zombie is dead, whoever reaps it and however late. */
export const DEAD_STATES: ReadonlySet<string> = new Set(["Z", "X", "x"]);

/** The pids in /proc now; empty without /proc. */
export function listPids(): number[] {
  try {
    return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

/** A process that ends while we read it, or that we may not read, is simply not seen. */
export function readStatQuietly(pid: number): ProcStat | null {
  try {
    return readProcStat(pid);
  } catch {
    return null;
  }
}

/** Every process /proc shows, zombies included: one consistent-enough look at the process table. */
export function listProcesses(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const pid of listPids()) {
    const stat = readStatQuietly(pid);
    if (stat !== null) stats.push(stat);
  }
  return stats;
}

/** The last full look at the process table shared by measurements, and when (performance.now()). */
let recent: { at: number; table: ProcStat[] } | null = null;

/**
 * The process table as read at most `maxAgeMs` ago, one read shared by every caller meanwhile:
 * for measurements (which processes to weigh for `memory`, `cpu`, `connection`), where a look a
 * moment old is as good and each read costs milliseconds. Never for what signals a process: a
 * child forked since would be missed. `maxAgeMs` 0: a fresh look (which later callers share).
 */
export function recentProcesses(maxAgeMs: number): ProcStat[] {
  const now = performance.now();
  if (recent === null || now - recent.at >= maxAgeMs) recent = { at: now, table: listProcesses() };
  return recent.table;
}

/** How long ago (ms) the shared look at the whole process table was read; Infinity before the first. */
export function tableAge(): number {
  return recent === null ? Infinity : performance.now() - recent.at;
}
