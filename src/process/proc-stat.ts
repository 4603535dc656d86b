import { existsSync, readFileSync } from "node:fs";

/** The fields of `/proc/PID/stat` that liveness and process-group checks need. */
export interface ProcStat {
  pid: number;
  /** One letter: `R` running, `S` sleeping, `D` disk wait, `T` stopped, `Z` zombie, `X` dead... */
  state: string;
  ppid: number;
  pgrp: number;
  /** Clock ticks after boot when the process started. With the pid it names one process: pids are reused. */
  startTime: number;
}

/** Index of `starttime` (field 22 of proc(5)) among the fields after the command name. */
const START_TIME_INDEX = 19;
const GONE = new Set(["ENOENT", "ESRCH"]);

/**
 * Parses the text of `/proc/PID/stat`, or returns null when it is not one. The command name
 * sits in parentheses and may itself hold spaces and `)`, so the fields start after the LAST `)`.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  const [state, ppid, pgrp, startTime] = [fields[0], fields[1], fields[2], fields[START_TIME_INDEX]];
  const numbers = [text.slice(0, open).trim(), ppid, pgrp, startTime].map(toInteger);
  if (state === undefined || !/^[A-Za-z]$/.test(state) || numbers.some((n) => n === null)) return null;
  const [pid, ppidNumber, pgrpNumber, startNumber] = numbers as number[];
  return { pid: pid as number, state, ppid: ppidNumber as number, pgrp: pgrpNumber as number, startTime: startNumber as number };
}

/** Reads `/proc/PID/stat`; null when no such process exists (or /proc is not there). */
export function readProcStat(pid: number): ProcStat | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch (error) {
    if (GONE.has(errorCode(error))) return null;
    throw error;
  }
}

/**
 * Whether the process `pid` that started at `startTime` (clock ticks after boot) still runs.
 * A zombie is dead: PID 1 may reap it seconds late, and `kill -0` would still see it.
 * A different start time means the pid was reused by another process. Without /proc
 * (not Linux) only `kill -0` is left, and `startTime` cannot be checked.
 */
export function isProcessAlive(pid: number, startTime: number | null): boolean {
  if (!hasProc()) return answersSignalZero(pid);
  let stat: ProcStat | null;
  try {
    stat = readProcStat(pid);
  } catch {
    // Hidden by `hidepid` or otherwise unreadable: it exists, so it is not known to be dead.
    return true;
  }
  if (stat === null || stat.state === "Z" || stat.state === "X" || stat.state === "x") return false;
  return startTime === null || stat.startTime === startTime;
}

/** A process recorded earlier still runs: on this boot, with its pid and start time. */
export function isRecordedProcessAlive(recorded: { pid: number; startTime: number | null; bootId: string | null }): boolean {
  const bootId = readBootId();
  if (recorded.bootId !== null && bootId !== null && recorded.bootId !== bootId) return false;
  return isProcessAlive(recorded.pid, recorded.startTime);
}

/** This boot's id (`/proc/sys/kernel/random/boot_id`): a pid from another boot is dead. Null without /proc. */
export function readBootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}

function hasProc(): boolean {
  return existsSync("/proc/self/stat");
}

function answersSignalZero(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}

function toInteger(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

function errorCode(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
}
