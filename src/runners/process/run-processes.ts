import type { ServiceProcesses } from "../../core/runner.js";
import { recentProcesses } from "../../process/list-processes.js";
import type { ProcStat } from "../../process/proc-stat.js";
import { readCgroupMemoryLimit } from "../../process/proc-memory.js";
import { groupMembers } from "./process-group.js";
import type { Run } from "./spawn-run.js";

/** How old a look at the process table may be to tell the run's members to a measurement: one look per round shared by every check and service. */
export const MEASURE_TABLE_MS = 1000;

/**
 * The processes of a supervised run: every member `groupMembers` proves the run's (its process
 * group, token, descendants, cgroup; each by its start time), the command itself as the main one
 * while it runs, and the limits of its cgroup, if it has one, from a look at the process table at
 * most MEASURE_TABLE_MS old (a process forked since is seen at the next look). `over`: nothing of the run is left, known without a look.
 */
export function runProcesses(run: Run | null, over: boolean): ServiceProcesses {
  if (run === null) return { processes: [], main: null, source: "no run started yet", cgroup: null, memoryLimit: null };
  const cgroup = run.group.cgroup ?? null;
  const source = `process group ${run.group.pgid}${cgroup === null ? "" : ` and cgroup ${cgroup}`}`;
  const processes = over ? [] : groupMembers(run.group, run.seen, tableWith(run)).map(({ pid, startTime }) => ({ pid, startTime }));
  const main = run.exit === null ? (processes.find((member) => member.pid === run.pid) ?? null) : null;
  return { processes, main, source, cgroup, memoryLimit: cgroup === null ? null : readCgroupMemoryLimit(cgroup) };
}

/** A recent look at the process table, read again when it predates the run's command (a restart since): the main process is never missed. */
function tableWith(run: Run): ProcStat[] {
  const table = recentProcesses(MEASURE_TABLE_MS);
  const leaderSeen = table.some((stat) => stat.pid === run.pid && stat.startTime === run.group.leaderStartTime);
  return run.exit !== null || leaderSeen ? table : recentProcesses(0);
}
