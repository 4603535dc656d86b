import { readdirSync } from "node:fs";
import type { ServiceProcess } from "../core/runner.js";
import { readQuietly } from "./cgroup.js";
import { TICKS_PER_SECOND } from "./proc-memory.js";

/** Indexes among the fields after the command name of /proc/PID/stat (proc(5) numbers minus 3). */
const UTIME = 11;
const STIME = 12;
const THREADS = 17;
const START_TIME = 19;

/** What /proc says of a process's CPU: its user and system time in all, its demand, and its threads. */
export interface ProcessCpu {
  /** utime + stime, in ms. */
  cpuMs: number;
  /** How long its threads ran or waited on a run queue (their schedstat), in ms; its CPU time where the kernel keeps no schedstat. */
  demandMs: number;
  threads: number;
}

/**
 * The CPU time and thread count of `process` from /proc/PID/stat; null when it ended or its pid is
 * now another process's (another start time).
 */
export function readProcessCpu(process: ServiceProcess): ProcessCpu | null {
  const text = readQuietly(`/proc/${process.pid}/stat`);
  if (text === null) return null;
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  if (Number(fields[START_TIME]) !== process.startTime) return null;
  const ticks = Number(fields[UTIME]) + Number(fields[STIME]);
  const threads = Number(fields[THREADS]);
  if (!Number.isFinite(ticks) || !Number.isFinite(threads)) return null;
  const cpuMs = (ticks * 1000) / TICKS_PER_SECOND;
  return { cpuMs, demandMs: readDemandMs(process.pid) ?? cpuMs, threads };
}

/** The time the threads of `pid` ran and waited to run: the first two fields (ns) of each /proc/PID/task/TID/schedstat. */
function readDemandMs(pid: number): number | null {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let ns = 0;
  for (const task of tasks) {
    const [run, wait] = (readQuietly(`/proc/${pid}/task/${task}/schedstat`) ?? "").split(" ").map(Number);
    if (run !== undefined && wait !== undefined && Number.isFinite(run + wait)) ns += run + wait;
  }
  return ns / 1e6;
}

/** How many file descriptors the process holds open (/proc/PID/fd); null when it cannot be read. */
export function countOpenFiles(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}
