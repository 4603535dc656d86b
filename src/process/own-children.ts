import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readStatQuietly } from "./list-processes.js";
import type { ProcStat } from "./proc-stat.js";

/** A tree walk that would read more children lists than this stops: the whole table is cheaper then. */
const MAX_LISTS_READ = 512;

/** Whether the kernel keeps children lists (CONFIG_PROC_CHILDREN); read once. */
let hasLists: boolean | undefined;

/**
 * The pids of the children of process `pid` (or this process's, "self"), zombies included, from
 * `/proc/PID/task/TID/children` (each thread has its own list: a child is on the list of the
 * thread that forked it, an orphan on any thread of its reaper's), and how many lists that read.
 * Null when the kernel has no such files or /proc is missing; no pids for a process that is gone.
 */
function readChildren(pid: number | "self"): { pids: number[]; lists: number } | null {
  hasLists ??= existsSync(`/proc/self/task/${process.pid}/children`);
  if (!hasLists) return null;
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return pid === "self" ? null : { pids: [], lists: 0 };
  }
  const pids = new Set<number>();
  for (const thread of threads) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${thread}/children`, "utf8").split(" ")) if (child.trim() !== "") pids.add(Number(child));
    } catch {
      // A thread (or the process) that ended in between has no list.
    }
  }
  return { pids: [...pids], lists: threads.length };
}

/** This process's children, zombies included: a few small files, where the whole process table is hundreds. Null when only the whole table tells. */
export function ownChildren(): ProcStat[] | null {
  return readChildren("self")?.pids.flatMap((pid) => readStatQuietly(pid) ?? []) ?? null;
}

/**
 * The processes `roots` and all their descendants, zombies included, each read once, from the
 * children lists: a look at a few processes' files instead of the whole table. A root given with
 * a start time counts only while that process holds its pid (pids are reused). Null when the
 * kernel keeps no children lists, or the walk read more than MAX_LISTS_READ lists (one list
 * per thread: processes with hundreds of threads): the whole table tells then.
 */
export function processTree(roots: Iterable<{ pid: number; startTime?: number }>): ProcStat[] | null {
  const found = new Map<number, ProcStat>();
  const pending: ProcStat[] = [];
  for (const root of roots) {
    const stat = found.has(root.pid) ? null : readStatQuietly(root.pid);
    if (stat === null || (root.startTime !== undefined && stat.startTime !== root.startTime)) continue;
    found.set(stat.pid, stat);
    pending.push(stat);
  }
  let listsRead = 0;
  for (let parent = pending.pop(); parent !== undefined; parent = pending.pop()) {
    const children = listsRead > MAX_LISTS_READ ? null : readChildren(parent.pid);
    if (children === null) return null;
    listsRead += children.lists;
    for (const pid of children.pids) {
      const stat = found.has(pid) ? null : readStatQuietly(pid);
      // Forked after its parent: a pid reused between the two reads is not its child.
      if (stat === null || stat.ppid !== parent.pid || stat.startTime < parent.startTime) continue;
      found.set(pid, stat);
      pending.push(stat);
    }
  }
  return [...found.values()];
}
