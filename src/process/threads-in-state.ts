import { readdirSync } from "node:fs";
import { readQuietly } from "./cgroup.js";
import { parseThreadStat } from "./thread-states.js";

/** Index of `starttime` (field 22 of proc(5)) among the fields after the command name. */
const START_TIME = 19;

/** A thread found in one state: who it is (tid and start time: tids are reused), its name and where in the kernel it waits. */
export interface ThreadInState {
  tid: number;
  startTime: number;
  name: string;
  /** The kernel function it sleeps in (`nfs_wait_bit_killable`, `kernel_clone`...), or null when unreadable. */
  wchan: string | null;
}

/**
 * The threads of process `pid` in `state` (one letter of /proc/PID/task/TID/stat: `D` for
 * uninterruptible sleep) now. Only their stat is read, and the wait channel of those found: a look
 * that costs one read per thread. Empty when the process is gone; a thread that ends meanwhile is left out.
 */
export function readThreadsInState(pid: number, state: string): ThreadInState[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const found: ThreadInState[] = [];
  for (const tid of tids) {
    const base = `/proc/${pid}/task/${tid}`;
    const thread = parseThreadInState(readQuietly(`${base}/stat`) ?? "", state);
    if (thread === null) continue;
    const wchan = readQuietly(`${base}/wchan`)?.trim() ?? "";
    found.push({ ...thread, wchan: wchan === "" || wchan === "0" ? null : wchan });
  }
  return found;
}

/** The tid, start time and name of a `/proc/PID/task/TID/stat` line when its thread is in `state`; null otherwise or when it is not one. */
export function parseThreadInState(text: string, state: string): Omit<ThreadInState, "wchan"> | null {
  const parsed = parseThreadStat(text);
  if (parsed === null || parsed.state !== state) return null;
  const tid = Number(text.slice(0, text.indexOf("(")).trim());
  const startTime = Number(text.slice(text.lastIndexOf(")") + 1).trim().split(/\s+/)[START_TIME]);
  return Number.isSafeInteger(tid) && Number.isSafeInteger(startTime) ? { tid, startTime, name: parsed.name } : null;
}
