import type { ServiceProcesses } from "../../core/runner.js";
import { readCgroupMemoryLimit } from "../../process/proc-memory.js";
import { groupMembers } from "./process-group.js";
import type { Run } from "./spawn-run.js";

/**
 * The processes of a supervised run: every member `groupMembers` proves the run's (its process
 * group, token, descendants, cgroup; each by its start time), the command itself as the main one
 * while it runs, and the limits of its cgroup, if it has one. `over`: nothing of the run is left, known without a look.
 */
export function runProcesses(run: Run | null, over: boolean): ServiceProcesses {
  if (run === null) return { processes: [], main: null, source: "no run started yet", cgroup: null, memoryLimit: null };
  const cgroup = run.group.cgroup ?? null;
  const source = `process group ${run.group.pgid}${cgroup === null ? "" : ` and cgroup ${cgroup}`}`;
  const processes = over ? [] : groupMembers(run.group, run.seen).map(({ pid, startTime }) => ({ pid, startTime }));
  const main = run.exit === null ? (processes.find((member) => member.pid === run.pid) ?? null) : null;
  return { processes, main, source, cgroup, memoryLimit: cgroup === null ? null : readCgroupMemoryLimit(cgroup) };
}
