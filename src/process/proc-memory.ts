import { join } from "node:path";
import type { MemoryLimit, ServiceProcess } from "../core/runner.js";
import { readQuietly } from "./cgroup.js";
import { readStatQuietly } from "./list-processes.js";

/** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux architecture Node runs on. */
export const TICKS_PER_SECOND = 100;

/**
 * The memory of one process in bytes: `rss` from /proc/PID/status (VmRSS), `pss` from
 * /proc/PID/smaps_rollup (Pss). Null when it ended, or its pid is now another process's (the
 * start time read before differs): a pid is only the service's with the start time seen with it.
 */
export function readProcessMemory(process: ServiceProcess, measure: "rss" | "pss"): number | null {
  const text = readQuietly(measure === "rss" ? `/proc/${process.pid}/status` : `/proc/${process.pid}/smaps_rollup`);
  if (text === null || readStatQuietly(process.pid)?.startTime !== process.startTime) return null;
  // Both files say sizes in kB (KiB): `VmRSS:     12345 kB`.
  const kib = new RegExp(`^${measure === "rss" ? "VmRSS" : "Pss"}:\\s+(\\d+) kB`, "m").exec(text)?.[1];
  return kib === undefined ? null : Number(kib) * 1024;
}

/** How long ago (ms) a process that started at `startTime` (clock ticks after boot) started; null without /proc/uptime. */
export function processAgeMs(startTime: number): number | null {
  const uptime = Number(readQuietly("/proc/uptime")?.split(" ")[0]);
  return Number.isFinite(uptime) ? Math.max(0, uptime * 1000 - (startTime * 1000) / TICKS_PER_SECOND) : null;
}

/** The tighter of a cgroup v2's memory limits (memory.max, memory.high), or null when it sets none. */
export function readCgroupMemoryLimit(dir: string): MemoryLimit | null {
  let tightest: MemoryLimit | null = null;
  for (const from of ["memory.high", "memory.max"]) {
    const bytes = Number(readQuietly(join(dir, from))?.trim());
    // "max": no limit (Number gives NaN); a missing file (no memory controller): none either.
    if (Number.isSafeInteger(bytes) && (tightest === null || bytes < tightest.bytes)) tightest = { bytes, from };
  }
  return tightest;
}

/** How many of the cgroup's processes the kernel's OOM killer killed (`oom_kill` of memory.events); null when unreadable. */
export function readOomKills(dir: string): number | null {
  const count = /^oom_kill (\d+)$/m.exec(readQuietly(join(dir, "memory.events")) ?? "")?.[1];
  return count === undefined ? null : Number(count);
}

/** How many processes the kernel's OOM killer killed on the whole machine since boot (`oom_kill` of /proc/vmstat, Linux 4.13 on); null when unreadable. */
export function readMachineOomKills(): number | null {
  const count = /^oom_kill (\d+)$/m.exec(readQuietly("/proc/vmstat") ?? "")?.[1];
  return count === undefined ? null : Number(count);
}
