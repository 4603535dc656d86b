import { readdirSync } from "node:fs";
import { readProcStat, type ProcStat } from "../../process/proc-stat.js";

/**
 * A process group Lifeguard created: the service's first process leads it (spawned detached, so
 * it leads a new session too), and the group id is that leader's pid.
 */
export interface OwnedGroup {
  pgid: number;
  /** The leader's start time (clock ticks after boot), read right after the spawn; null without /proc. */
  leaderStartTime: number | null;
}

const DEAD_STATES = new Set(["Z", "X", "x"]);

/**
 * The living processes of `group`, found in /proc by their process group id, never by name.
 *
 * Linux keeps a pid number allocated while any process still uses it as its group id, so pid
 * `pgid` can be handed to a new process only once our group is empty. A process at pid `pgid`
 * with another start time therefore proves our group is gone (and a new group with the same id
 * would be someone else's): then nothing is ours. Zombies are dead and never counted.
 */
export function groupMembers(group: OwnedGroup): ProcStat[] {
  if (group.leaderStartTime === null) return [];
  const atLeader = readStatQuietly(group.pgid);
  if (atLeader !== null && atLeader.startTime !== group.leaderStartTime) return [];
  const members: ProcStat[] = [];
  for (const pid of listPids()) {
    const stat = pid === group.pgid ? atLeader : readStatQuietly(pid);
    // Every member was forked after the leader: an earlier start time would be a foreign process.
    if (stat === null || stat.pgrp !== group.pgid || DEAD_STATES.has(stat.state) || stat.startTime < group.leaderStartTime) continue;
    members.push(stat);
  }
  return members;
}

/**
 * Sends `signal` to the whole group (`kill(-pgid)`: one atomic delivery, so a member forking at
 * that moment cannot slip through), but only after `groupMembers` proved the group is still ours.
 * `leaderUnreaped`: our child has not been reaped yet, so pid `pgid` is still ours whatever /proc
 * says (the only proof left without /proc). Returns the pids that were signalled.
 */
export function signalGroup(group: OwnedGroup, signal: NodeJS.Signals, leaderUnreaped: boolean): number[] {
  const members = groupMembers(group).map((member) => member.pid);
  if (members.length === 0 && !(leaderUnreaped && group.leaderStartTime === null)) return [];
  try {
    process.kill(-group.pgid, signal);
    return members.length === 0 ? [group.pgid] : members;
  } catch {
    // ESRCH: the last member ended in between.
    return [];
  }
}

function listPids(): number[] {
  try {
    return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

/** A process that ends while we read it, or that we may not read, is simply not seen. */
function readStatQuietly(pid: number): ProcStat | null {
  try {
    return readProcStat(pid);
  } catch {
    return null;
  }
}
