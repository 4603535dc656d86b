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
