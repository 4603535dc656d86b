import { DEAD_STATES, listProcesses } from "../../process/list-processes.js";
import { readEnvironValue } from "../../process/proc-environ.js";
import { isProcessAlive, type ProcStat } from "../../process/proc-stat.js";
import { adoptedProcesses, isChildSubreaper } from "../../process/subreaper.js";
import { killServiceCgroup, processesIn } from "../../process/delegated-cgroup.js";

/** The variable that carries a run's token into every process the run starts (unless one clears its environment). */
export const RUN_TOKEN_VARIABLE = "LIFEGUARD_RUN_ID";

/**
 * One run of a service that Lifeguard started: its first process leads a new session and process
 * group (spawned detached, so the group id is the leader's pid), and its environment carries a
 * random token (`RUN_TOKEN_VARIABLE`) that every process it starts inherits.
 */
export interface OwnedGroup {
  pgid: number;
  /** The leader's start time (clock ticks after boot), read right after the spawn; null without /proc. */
  leaderStartTime: number | null;
  /** The run's token; null for a run recorded before tokens existed. */
  token: string | null;
  /**
   * The orphans Lifeguard adopted as a child subreaper count as the run's: true when this run's
   * service is the only one Lifeguard supervises, so that nothing else can have left them.
   */
  claimsAdopted?: boolean;
  /**
   * The service's own cgroup (a delegated one, process/delegated-cgroup.ts) the run was started
   * in: every process in it is the service's, whatever it did to its session or environment.
   */
  cgroup?: string | null;
}

/**
 * What is remembered of each process (by pid and start time) once looked at: whether it belongs
 * to the run. Once a member, always one: a helper found below the leader stays the service's
 * after its parent died and it was re-parented (to Lifeguard as a subreaper, or to PID 1).
 */
export type MemberCache = Map<string, boolean>;

/**
 * The living processes of the run `group`: everything it started, found by identity, never by name.
 * - its process group: Linux keeps a pid allocated while any process uses it as its group id, so
 *   a process at pid `pgid` with another start time proves our group is gone (and a new group with
 *   that id would be someone else's): then the group adds nothing;
 * - every process that carries the run's token in the environment it was started with (a helper
 *   that left the group with setsid(), even once re-parented to PID 1 after Lifeguard died);
 * - every descendant of those (a helper that also cleared its environment);
 * - every process found a member by an earlier look with the same `cache`;
 * - with `claimsAdopted`, the orphans Lifeguard adopted (a helper that cleared its environment,
 *   left the group and lost its parent before any look) and their descendants;
 * - with a `cgroup`, every process in it (the kernel keeps a process, and all it forks, in its
 *   cgroup: nothing a service does takes it out).
 * Every member was started after the leader: an earlier start time is a foreign process, whatever
 * it claims. Zombies are dead and never counted. `cache` keeps each process's verdict by pid and
 * start time, so that a wait that looks every 50 ms reads each environment once.
 */
export function groupMembers(group: OwnedGroup, cache: MemberCache = new Map(), processes: readonly ProcStat[] = listProcesses()): ProcStat[] {
  if (group.leaderStartTime === null) return [];
  const start = group.leaderStartTime;
  const atLeader = processes.find((stat) => stat.pid === group.pgid);
  const groupIsOurs = atLeader === undefined || atLeader.startTime === start;
  const alive = processes.filter((stat) => !DEAD_STATES.has(stat.state) && stat.startTime >= start && stat.pid !== process.pid);
  const members = new Map<number, ProcStat>();
  const inCgroup = new Set(group.cgroup == null ? [] : processesIn(group.cgroup));
  for (const stat of alive) {
    if ((groupIsOurs && stat.pgrp === group.pgid) || inCgroup.has(stat.pid) || isMarkedMember(stat, group.token, cache)) members.set(stat.pid, stat);
  }
  if (group.claimsAdopted === true) for (const stat of adoptedProcesses(alive)) members.set(stat.pid, stat);
  addDescendants(members, alive);
  forget(cache, processes);
  for (const member of members.values()) cache.set(keyOf(member), true);
  return [...members.values()].sort((a, b) => a.pid - b.pid);
}

/**
 * Whether no process of the run `group`, whose leader was reaped, is left, proved without reading
 * the whole process table (which, hundreds of processes long, costs milliseconds): no process is
 * left in its process group (`kill(-pgid, 0)` fails with ESRCH), none in its cgroup, none found a
 * member before is alive, and Lifeguard, the reaper of every orphan of the run's tree, adopted
 * none that started after the leader: every descendant that outlived the leader is in one of
 * those. Only a process that carries the run's token without descending from it (started for it
 * by another daemon) escapes this proof. False: not proved; `groupMembers` tells.
 */
export function isTreeGone(group: OwnedGroup, cache: MemberCache = new Map()): boolean {
  const start = group.leaderStartTime;
  if (start === null || !isChildSubreaper()) return false;
  if (!isGroupEmpty(group.pgid)) return false;
  if (group.cgroup != null && processesIn(group.cgroup).length > 0) return false;
  for (const [key, member] of cache) {
    const [pid, startTime] = key.split(":").map(Number);
    if (member && isProcessAlive(pid as number, startTime as number)) return false;
  }
  return adoptedProcesses().every((stat) => stat.startTime < start);
}

/** No process, zombies included, is in process group `pgid`: only ESRCH says so (EPERM: one we may not signal). */
function isGroupEmpty(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Sends `signal` to every member of the run: the group at once (`kill(-pgid)`: one atomic delivery,
 * so a member forking at that moment cannot slip through), SIGKILL to the whole cgroup at once
 * (`cgroup.kill`) when the run has one, then each member outside those, each only after
 * `groupMembers` proved it ours. `leaderUnreaped`: our child has not been reaped yet,
 * so pid `pgid` is still ours whatever /proc says (the only proof left without /proc).
 * Returns the pids that were signalled.
 */
export function signalGroup(group: OwnedGroup, signal: NodeJS.Signals, leaderUnreaped: boolean, cache: MemberCache = new Map()): number[] {
  const members = groupMembers(group, cache);
  if (members.length === 0) {
    if (!(leaderUnreaped && group.leaderStartTime === null)) return [];
    return deliver(-group.pgid, signal) ? [group.pgid] : [];
  }
  const signalled: number[] = [];
  const inCgroup = new Set(signal === "SIGKILL" && group.cgroup != null ? processesIn(group.cgroup) : []);
  if (inCgroup.size > 0 && !killServiceCgroup(group.cgroup as string)) inCgroup.clear();
  const inGroup = members.filter((member) => member.pgrp === group.pgid);
  if (inGroup.length > 0 && deliver(-group.pgid, signal)) signalled.push(...inGroup.map((member) => member.pid));
  for (const member of members) {
    if (member.pgrp === group.pgid) continue;
    if (inCgroup.has(member.pid) || deliver(member.pid, signal)) signalled.push(member.pid);
  }
  return signalled.sort((a, b) => a - b);
}

/** Whether the process carries the run's token, or was found a member before. */
function isMarkedMember(stat: ProcStat, token: string | null, cache: MemberCache): boolean {
  const key = keyOf(stat);
  let verdict = cache.get(key);
  if (verdict === undefined) {
    verdict = token !== null && readEnvironValue(stat.pid, RUN_TOKEN_VARIABLE) === token;
    cache.set(key, verdict);
  }
  return verdict;
}

/** Adds the descendants of `members` among `alive`, and the subreaper's orphans below them, until none is new. */
function addDescendants(members: Map<number, ProcStat>, alive: readonly ProcStat[]): void {
  const children = new Map<number, ProcStat[]>();
  for (const stat of alive) {
    const siblings = children.get(stat.ppid);
    if (siblings === undefined) children.set(stat.ppid, [stat]);
    else siblings.push(stat);
  }
  const pending = [...members.keys()];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    for (const child of children.get(pid) ?? []) {
      if (members.has(child.pid)) continue;
      members.set(child.pid, child);
      pending.push(child.pid);
    }
  }
}

/** Drops the verdicts of processes that are gone: the cache stays as large as the process table. */
function forget(cache: MemberCache, processes: readonly ProcStat[]): void {
  if (cache.size === 0) return;
  const present = new Set(processes.map(keyOf));
  for (const key of cache.keys()) if (!present.has(key)) cache.delete(key);
}

function keyOf(stat: ProcStat): string {
  return `${stat.pid}:${stat.startTime}`;
}

/** `kill()`, false when the process ended in between (ESRCH) or may not be signalled. */
function deliver(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}
