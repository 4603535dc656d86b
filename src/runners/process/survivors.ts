import { formatDuration } from "../../core/duration.js";
import type { SupervisedRun } from "../../core/run-journal.js";
import { endProcesses } from "../../process/end-processes.js";
import { isProcessAlive, type ProcStat } from "../../process/proc-stat.js";
import { describeLeft, plural } from "./messages.js";
import { groupMembers, signalGroup, type MemberCache, type OwnedGroup } from "./process-group.js";

/** What became of the runs a previous Lifeguard left: none alive, all stopped, or some still running. */
export interface SurvivorReport {
  /** Every run that had processes left, with them as first found. */
  found: Array<{ run: SupervisedRun; members: ProcStat[] }>;
  /** Processes still running after SIGKILL and `killWaitMs`: nothing may be started beside them. */
  left: ProcStat[];
  /** Runs that are over (or were ended here): their records can go. */
  over: SupervisedRun[];
  /** A run with processes left whose Lifeguard still lives (another instance on the same store): nothing was done. */
  owned: SupervisedRun | null;
  /** `the copy that a previous Lifeguard left running (PID 5, up 4m; ...)`; null when none was found or some is left. */
  summary: string | null;
}

export interface SurvivorOptions {
  /** This boot's id: a run of another boot is over. */
  bootId: string | null;
  /** The service's cgroup: what it holds before a start is left from earlier runs. Null: none. */
  cgroup: string | null;
  stopTimeoutMs: number;
  killWaitMs: number;
  pollMs: number;
  signal: AbortSignal;
  now: () => number;
}

/**
 * Finds what earlier runs of a service left running (a Lifeguard killed with SIGKILL, or while it
 * restarted the service) and stops it through the safe sequence, as a restart would: SIGTERM (and
 * SIGCONT) to every process of those runs, `stopTimeoutMs` for them to end, then SIGKILL and
 * `killWaitMs`. Processes are found by the recorded identity only (group, start time, run token):
 * never by name. Their output went to a pipe that died with the Lifeguard that read it, so they
 * cannot be adopted: a bot writing to it would die of EPIPE at its next line.
 */
export async function stopSurvivors(runs: readonly SupervisedRun[], options: SurvivorOptions): Promise<SurvivorReport> {
  const tracked = runs.map((run) => ({ run, group: groupOf(run, options), cache: new Map() as MemberCache }));
  const membersOf = (entry: (typeof tracked)[number]): ProcStat[] => (entry.group === null ? [] : groupMembers(entry.group, entry.cache));
  const found = tracked.map((entry) => ({ run: entry.run, members: membersOf(entry) })).filter((entry) => entry.members.length > 0);
  if (found.length === 0) return { found, left: [], over: [...runs], owned: null, summary: null };
  // A run whose Lifeguard lives is that Lifeguard's: stopping it would start a tug of war.
  const owned = found.find((entry) => entry.run.ownerPid !== process.pid && isProcessAlive(entry.run.ownerPid, entry.run.ownerStartTime));
  if (owned !== undefined) return { found, left: [], over: [], owned: owned.run, summary: null };
  const alive = tracked.filter((entry) => found.some((survivor) => survivor.run === entry.run));
  const { left, killed } = await endProcesses({
    signal: (name) => alive.forEach((entry) => entry.group !== null && signalGroup(entry.group, name, false, entry.cache)),
    remaining: () => alive.flatMap(membersOf),
  }, options);
  const over = runs.filter((run) => !alive.some((entry) => entry.run === run) || left.length === 0);
  return { found, left, over, owned: null, summary: left.length > 0 ? null : describeStopped(found, killed, options) };
}

/** `Cannot start "bot" as ...` when survivors could not be stopped. */
export function describeUnstoppable(report: SurvivorReport, killWaitMs: number): string {
  return `a copy that a previous Lifeguard left running did not end within ${formatDuration(killWaitMs)} of SIGKILL: ${describeLeft(report.left)}`;
}

function describeStopped(found: SurvivorReport["found"], killed: boolean, options: SurvivorOptions): string {
  const pids = found.flatMap((entry) => entry.members.map((member) => member.pid));
  const leaders = found.map((entry) => entry.run).filter((run) => run.pid !== null && pids.includes(run.pid));
  const oldest = Math.min(...found.map((entry) => entry.run.startedAt));
  const leader = leaders.length === 1 && leaders[0] !== undefined ? `PID ${leaders[0].pid}, ` : "";
  const how = killed ? `SIGTERM, then SIGKILL after ${formatDuration(options.stopTimeoutMs)}` : "SIGTERM";
  return `the copy that a previous Lifeguard left running (${leader}up ${formatDuration(Math.max(0, options.now() - oldest))}; ${plural(pids.length, "process", "processes")}: ${pids.length === 1 ? "PID" : "PIDs"} ${pids.join(", ")}; ${how})`;
}

/** The group to look for: a run recorded before its spawn has only its token (no pid, no start time floor). */
function groupOf(run: SupervisedRun, { bootId, cgroup }: Pick<SurvivorOptions, "bootId" | "cgroup">): OwnedGroup | null {
  if (run.bootId !== null && bootId !== null && run.bootId !== bootId) return null;
  if (run.pid === null) return { pgid: -1, leaderStartTime: 0, token: run.token, cgroup };
  if (run.startTime === null) return null; // no /proc when it was spawned: nothing can be verified
  return { pgid: run.pid, leaderStartTime: run.startTime, token: run.token, cgroup };
}
