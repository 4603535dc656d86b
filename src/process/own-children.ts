import { readdirSync, readFileSync } from "node:fs";
import { readStatQuietly } from "./list-processes.js";
import type { ProcStat } from "./proc-stat.js";

/**
 * This process's children, zombies included, from `/proc/self/task/TID/children` (each thread
 * has its own list: an orphan is re-parented to any thread of its reaper): a few small files,
 * where the whole process table is hundreds. Null when the kernel has no such files
 * (CONFIG_PROC_CHILDREN) or /proc is missing: then only the whole table tells.
 */
export function ownChildren(): ProcStat[] | null {
  let threads: string[];
  try {
    threads = readdirSync("/proc/self/task");
  } catch {
    return null;
  }
  const pids = new Set<number>();
  for (const thread of threads) {
    let text: string;
    try {
      text = readFileSync(`/proc/self/task/${thread}/children`, "utf8");
    } catch (error) {
      // A thread that ended in between has no list; a kernel without the lists has none for any.
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && thread !== String(process.pid)) continue;
      return null;
    }
    for (const pid of text.split(" ")) if (pid.trim() !== "") pids.add(Number(pid));
  }
  return [...pids].flatMap((pid) => readStatQuietly(pid) ?? []);
}
