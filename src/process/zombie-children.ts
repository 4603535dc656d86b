import type { ServiceProcess } from "../core/runner.js";
import type { ProcStat } from "./proc-stat.js";

/**
 * The zombies among `table` (the whole process table, or the parents' own tree: own-children.ts) that are children of `parents`: processes that ended and that their
 * parent, a process of the service, never reaped (wait()). They are counted by their parent
 * because the kernel lists a zombie neither in its cgroup's `cgroup.procs` (it leaves it when it
 * exits, though /proc/PID/cgroup still names it) nor among the living members of a supervised run;
 * only its `ppid` still ties it to the service. A child started before its parent is another
 * process's (the parent's pid was reused) and is left out. Orphans are reaped by PID 1 or the subreaper.
 */
export function zombieChildren(parents: readonly ServiceProcess[], table: readonly ProcStat[]): ProcStat[] {
  const started = new Map(parents.map((parent) => [parent.pid, parent.startTime]));
  return table.filter((stat) => stat.state === "Z" && stat.startTime >= (started.get(stat.ppid) ?? Infinity));
}
