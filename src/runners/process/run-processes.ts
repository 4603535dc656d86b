import type { ServiceProcesses } from "../../core/runner.js";
import { recentProcesses, tableAge } from "../../process/list-processes.js";
import { processTree } from "../../process/own-children.js";
import { processesIn } from "../../process/delegated-cgroup.js";
import { adoptedProcesses } from "../../process/subreaper.js";
import type { ProcStat } from "../../process/proc-stat.js";
import { readCgroupMemoryLimit } from "../../process/proc-memory.js";
import { groupMembers } from "./process-group.js";
import type { Run } from "./spawn-run.js";

/** How old a look at the process table may be to tell the run's members to a measurement: one look per round shared by every check and service. */
export const MEASURE_TABLE_MS = 1000;
/** How long one listing of a run serves the checks that ask for it (those of one round). */
const SHARED_LISTING_MS = 250;
/** How long runs' members are found from their own process trees alone before the whole table is read again. */
const FULL_TABLE_MS = 30_000;

/**
 * The processes of a supervised run: every member `groupMembers` proves the run's (its process
 * group, token, descendants, cgroup; each by its start time), the command itself as the main one
 * while it runs, and the limits of its cgroup, if it has one. `over`: nothing of the run is left,
 * known without a look. The members come from a look at the whole process table at most
 * MEASURE_TABLE_MS old (one shared by every run) at the run's first look and at least every
 * FULL_TABLE_MS, else from the run's own process tree (`runTree`): a helper that left the tree
 * (orphaned to PID 1 when Lifeguard is no subreaper) and carries the run's token is found at the
 * next whole look, and followed from then on as a member. One listing serves every call within
 * SHARED_LISTING_MS while the command runs: the memory, cpu and connection checks of one round.
 */
export function runProcesses(run: Run | null, over: boolean): ServiceProcesses {
  if (run === null) return { processes: [], main: null, source: "no run started yet", cgroup: null, memoryLimit: null };
  const cgroup = run.group.cgroup ?? null;
  const source = `process group ${run.group.pgid}${cgroup === null ? "" : ` and cgroup ${cgroup}`}`;
  if (over) return { processes: [], main: null, source, cgroup, memoryLimit: cgroup === null ? null : readCgroupMemoryLimit(cgroup) };
  const now = performance.now();
  const known = lastListed.get(run);
  // The checks of one round ask one after another within a moment: one look serves them all, until the run ends.
  if (known !== undefined && now - known.at < SHARED_LISTING_MS && run.exit === null) return known.listed;
  const processes = groupMembers(run.group, run.seen, tableWith(run)).map(({ pid, startTime }) => ({ pid, startTime }));
  const main = run.exit === null ? (processes.find((member) => member.pid === run.pid) ?? null) : null;
  const listed = { processes, main, source, cgroup, memoryLimit: cgroup === null ? null : readCgroupMemoryLimit(cgroup) };
  lastListed.set(run, { at: now, listed });
  return listed;
}

/** Each run's last listing, and when (performance.now()). */
const lastListed = new WeakMap<Run, { at: number; listed: ServiceProcesses }>();

/** The run's processes as a table to find its members in: its own tree, or a recent look at the whole table (read again when it predates the run's command, a restart since: the main process is never missed). */
function tableWith(run: Run): ProcStat[] {
  // A run never looked at yet is looked for in the whole table: a helper that escaped at once is found.
  const tree = run.seen.size > 0 && tableAge() < FULL_TABLE_MS ? runTree(run) : null;
  if (tree !== null) return tree;
  const table = recentProcesses(MEASURE_TABLE_MS);
  const leaderSeen = table.some((stat) => stat.pid === run.pid && stat.startTime === run.group.leaderStartTime);
  return run.exit !== null || leaderSeen ? table : recentProcesses(0);
}

/**
 * How long one look at the orphans Lifeguard adopted serves every run: reading its own children
 * lists (one per thread of Lifeguard) costs more than a run's whole tree, and an orphan is rare
 * and lasting (one that was a member before it was orphaned is followed as a member anyway).
 */
const ADOPTED_MS = 5000;
/** The last look at the orphans Lifeguard adopted, shared by every run for ADOPTED_MS. */
let adopted: { at: number; orphans: ProcStat[] } | null = null;

/**
 * The processes of the run's tree: its command, the members found before and those in its
 * cgroup, the orphans Lifeguard adopted as a subreaper (a helper that detached: `groupMembers`
 * tells whose), and all their descendants. Null when only the whole table tells (own-children.ts).
 */
function runTree(run: Run): ProcStat[] | null {
  const roots: { pid: number; startTime?: number }[] = [{ pid: run.pid, ...(run.group.leaderStartTime === null ? {} : { startTime: run.group.leaderStartTime }) }];
  for (const [key, member] of run.seen) {
    const [pid, startTime] = key.split(":").map(Number);
    if (member) roots.push({ pid: pid as number, startTime: startTime as number });
  }
  if (run.group.cgroup != null) for (const pid of processesIn(run.group.cgroup)) roots.push({ pid });
  const now = performance.now();
  if (adopted === null || now - adopted.at >= ADOPTED_MS) adopted = { at: now, orphans: adoptedProcesses() };
  for (const { pid, startTime } of adopted.orphans) roots.push({ pid, startTime });
  return processTree(roots);
}
