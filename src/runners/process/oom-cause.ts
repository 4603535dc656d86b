import { readMachineOomKills, readOomKills } from "../../process/proc-memory.js";

/** A count of OOM kills, and whose: the run's own cgroup's (memory.events) or the whole machine's (/proc/vmstat). */
export interface OomCount {
  of: "cgroup" | "machine";
  count: number;
}

/**
 * The OOM kills a run is judged by, read at its start and at its end: its cgroup's where it has
 * one of its own with the memory controller (a delegated cgroup), else the machine's. Null when
 * neither can be read.
 */
export function readOomCount(cgroup: string | null): OomCount | null {
  const own = cgroup === null ? null : readOomKills(cgroup);
  if (own !== null) return { of: "cgroup", count: own };
  const machine = readMachineOomKills();
  return machine === null ? null : { of: "machine", count: machine };
}

/**
 * Why a run that SIGKILL ended, which Lifeguard did not send, was probably the OOM killer's: the
 * count of OOM kills rose between its start and its end. Certain for its own cgroup's count; only
 * probable for the machine's, which another process's OOM kill meanwhile raises too. Undefined
 * when the count did not rise, or the two looks are not of the same count.
 */
export function describeOomKill(before: OomCount | null, after: OomCount | null): string | undefined {
  if (before === null || after === null || before.of !== after.of || after.count <= before.count) return undefined;
  const rose = `rose from ${before.count} to ${after.count} while it ran`;
  if (before.of === "cgroup") return `the kernel's OOM killer killed it: it ran out of memory (the OOM kills of its cgroup's memory.events ${rose})`;
  return `probably the kernel's OOM killer: SIGKILL ended it, which Lifeguard did not send, and the machine's OOM kills (/proc/vmstat oom_kill) ${rose}`;
}
