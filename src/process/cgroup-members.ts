import { join } from "node:path";
import type { ServiceProcess } from "../core/runner.js";
import { cgroup2Mount, cgroupProcs, readQuietly } from "./cgroup.js";
import { DEAD_STATES, readStatQuietly } from "./list-processes.js";

/** Where systemd's own cgroup v1 hierarchy is mounted (a box without the unified hierarchy). */
export const CGROUP_V1_SYSTEMD = "/sys/fs/cgroup/systemd";

/**
 * The directory of a systemd unit's cgroup from its `ControlGroup` (`/system.slice/bot.service`):
 * under the cgroup v2 mount, else (cgroup v1) under the `name=systemd` hierarchy. Null when the
 * unit has none (not running) or the path would leave the hierarchy.
 */
export function unitCgroupDir(controlGroup: string, v2Mount: string | null = cgroup2Mount()): string | null {
  if (!controlGroup.startsWith("/") || controlGroup.split("/").includes("..")) return null;
  return join(v2Mount ?? CGROUP_V1_SYSTEMD, controlGroup);
}

/**
 * The living processes of the cgroup `controlGroup` (at `dir`) and of every cgroup below it, each
 * with its start time. A pid read from `cgroup.procs` counts only when the process at that pid,
 * read after its start time, is itself in that cgroup tree: a pid that ended and was reused in
 * between is someone else's and is left out. Zombies are dead and left out.
 */
export function cgroupMembers(dir: string, controlGroup: string): ServiceProcess[] {
  const members: ServiceProcess[] = [];
  for (const pid of new Set(cgroupProcs(dir))) {
    const stat = readStatQuietly(pid);
    if (stat === null || DEAD_STATES.has(stat.state) || !isInCgroup(pid, controlGroup)) continue;
    members.push({ pid, startTime: stat.startTime });
  }
  return members.sort((a, b) => a.pid - b.pid);
}

/**
 * The member that is systemd's main process `mainPid`, numbered in systemd's PID namespace: the
 * same pid where Lifeguard shares it (a box's daemon), else the member whose innermost pid
 * (`NSpid:`, its last field) is `mainPid` (systemd in a container Lifeguard looks into).
 */
export function findMainMember(members: readonly ServiceProcess[], mainPid: number): ServiceProcess | null {
  if (mainPid <= 0) return null;
  const same = members.find((member) => member.pid === mainPid);
  if (same !== undefined) return same;
  return members.find((member) => innermostPid(member.pid) === mainPid) ?? null;
}

function innermostPid(pid: number): number | null {
  const line = readQuietly(`/proc/${pid}/status`)?.split("\n").find((entry) => entry.startsWith("NSpid:"));
  return line === undefined ? null : Number(line.trim().split(/\s+/).at(-1));
}

/** Whether the process `pid` is now in `controlGroup` or below, by its v2 (`0::`) or systemd v1 (`name=systemd`) line. */
export function isInCgroup(pid: number, controlGroup: string, text = readQuietly(`/proc/${pid}/cgroup`)): boolean {
  for (const line of (text ?? "").split("\n")) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined || (controllers !== "" && controllers !== "name=systemd")) continue;
    if (path === controlGroup || path.startsWith(`${controlGroup}/`)) return true;
  }
  return false;
}
