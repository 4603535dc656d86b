import { hostname } from "node:os";
import { readBootId, readProcStat } from "./proc-stat.js";

/** This process as a record names it, so that a later reader can tell whether it still runs (isRecordedProcessAlive). */
export interface ProcessIdentity {
  pid: number;
  /** Clock ticks after boot (`/proc/self/stat`); null without /proc. */
  startTime: number | null;
  bootId: string | null;
  host: string;
}

export function selfIdentity(): ProcessIdentity {
  return { pid: process.pid, startTime: readProcStat(process.pid)?.startTime ?? null, bootId: readBootId(), host: hostname() };
}
