import { readFileSync } from "node:fs";

/**
 * The value of `name` in the environment process `pid` was started with (`/proc/PID/environ`:
 * what it was exec'ed with, not what it set since), or null: not set, the process is gone, a
 * zombie (its memory is released), or not ours to read (another user's, without root).
 */
export function readEnvironValue(pid: number, name: string): string | null {
  let raw: Buffer;
  try {
    raw = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return null;
  }
  const prefix = `${name}=`;
  for (const entry of raw.toString("latin1").split("\0")) {
    if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  }
  return null;
}
