import { readFileSync } from "node:fs";

/** This process's I/O counters (all threads, so libuv's pool too): `rchar` counts bytes returned by read calls, `readBytes` bytes fetched from the block device. */
export interface IoCounters {
  rchar: number;
  readBytes: number;
}

/** null where `/proc/self/io` cannot be read (not Linux, or no task I/O accounting). */
export function readIoCounters(): IoCounters | null {
  try {
    const text = readFileSync("/proc/self/io", "utf8");
    const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, "m").exec(text)?.[1]);
    const counters = { rchar: field("rchar"), readBytes: field("read_bytes") };
    return Number.isFinite(counters.rchar) && Number.isFinite(counters.readBytes) ? counters : null;
  } catch {
    return null;
  }
}

/** Counter growth per call between two readings, or null when either is missing. */
export function perCall(before: IoCounters | null, after: IoCounters | null, calls: number): IoCounters | null {
  if (before === null || after === null) return null;
  return { rchar: (after.rchar - before.rchar) / calls, readBytes: (after.readBytes - before.readBytes) / calls };
}
