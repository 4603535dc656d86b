import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** CPU time and memory of one process (all its threads, not its children), from /proc. */
export interface ProcUsage {
  /** utime + stime, in clock ticks (see CLOCK_TICKS). */
  cpuTicks: number;
  /** VmRSS: resident memory now. */
  rssBytes: number;
  /** RssFile: resident pages mapped from files (the node binary, libraries, native addons), shared with other processes mapping them. */
  rssFileBytes: number;
  /** RssAnon: resident anonymous memory (the JS heap, malloc, stacks): this process's own. */
  rssAnonBytes: number;
  /** VmHWM: the most resident memory so far. */
  hwmBytes: number;
  /** Context switches of the main thread (voluntary + not): how often the event loop woke up. */
  mainThreadSwitches: number;
  /** From /proc/PID/io, null where it cannot be read: bytes passed to write calls, and bytes sent to the block device. */
  io: { wchar: number; writeBytes: number } | null;
}

/** Clock ticks per second of /proc/PID/stat's times (`getconf CLK_TCK`, 100 on Linux almost everywhere). */
export const CLOCK_TICKS = readClockTicks();

/** Index of utime (field 14 of proc(5)) among the fields after the command name; stime follows it. */
const UTIME_INDEX = 11;

/** null when the process is gone. */
export function readProcUsage(pid: number): ProcUsage | null {
  let stat: string;
  let status: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return null;
  }
  const field = (text: string, name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(text)?.[1]);
  // The command name may hold spaces and `)`: the fields start after the last `)`.
  const fields = stat.slice(stat.lastIndexOf(")") + 1).trim().split(/\s+/);
  return {
    cpuTicks: Number(fields[UTIME_INDEX]) + Number(fields[UTIME_INDEX + 1]),
    rssBytes: field(status, "VmRSS") * 1024,
    rssFileBytes: field(status, "RssFile") * 1024,
    rssAnonBytes: field(status, "RssAnon") * 1024,
    hwmBytes: field(status, "VmHWM") * 1024,
    // /proc/PID/status counts the thread group leader's switches: the main thread, where the event loop runs.
    mainThreadSwitches: field(status, "voluntary_ctxt_switches") + field(status, "nonvoluntary_ctxt_switches"),
    io: readIo(pid, field),
  };
}

function readIo(pid: number, field: (text: string, name: string) => number): ProcUsage["io"] {
  try {
    const text = readFileSync(`/proc/${pid}/io`, "utf8");
    const io = { wchar: field(text, "wchar"), writeBytes: field(text, "write_bytes") };
    return Number.isFinite(io.wchar) && Number.isFinite(io.writeBytes) ? io : null;
  } catch {
    return null;
  }
}

function readClockTicks(): number {
  const ticks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}
