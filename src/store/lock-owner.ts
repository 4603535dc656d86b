import { hostname } from "node:os";
import { isProcessAlive, readBootId, readProcStat } from "../process/proc-stat.js";

/** Who holds a lease: a process named by pid AND start time (pids are reused), in one boot. */
export interface LeaseOwner {
  pid: number;
  /** Clock ticks after boot (`/proc/PID/stat`); null where /proc is missing. */
  startTime: number | null;
  /** The boot the process ran in; a lease from an earlier boot is dead. Null where /proc is missing. */
  bootId: string | null;
  /** For people reading `lifeguard status`; liveness does not use it. */
  host: string;
  /** What the process was doing, e.g. `lifeguard check`. */
  label: string;
}

let self: Omit<LeaseOwner, "label"> | undefined;

/** Describes this process as a lease owner; what does not change in a process's life is read once. */
export function describeSelf(label: string): LeaseOwner {
  self ??= { pid: process.pid, startTime: readProcStat(process.pid)?.startTime ?? null, bootId: readBootId(), host: hostname() };
  return { ...self, label };
}

/**
 * Whether the owner of a lease still runs. A lease whose owner died (kill -9 included, or a
 * zombie not yet reaped) can be taken over at once. The store lives on one machine's disk:
 * a pid is judged in this machine's process table.
 */
export function isOwnerAlive(owner: LeaseOwner, self: LeaseOwner): boolean {
  if (owner.bootId !== null && self.bootId !== null && owner.bootId !== self.bootId) return false;
  return isProcessAlive(owner.pid, owner.startTime);
}
