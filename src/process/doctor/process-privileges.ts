import { readFile } from "node:fs/promises";

/** What a process may still gain: whether no_new_privs is set, and which of sudo's capabilities its bounding set keeps. */
export interface ProcessPrivileges {
  /** `NoNewPrivs: 1`: no setuid program (sudo) can raise its privileges. */
  noNewPrivs: boolean;
  /** CAP_SETUID and CAP_SETGID are in its bounding set: what sudo needs to become root. */
  setuidCaps: boolean;
}

/** Capability numbers (capability.h). */
const CAP_SETGID = 6n;
const CAP_SETUID = 7n;

/** Reads `/proc/PID/status`; null when the process is gone or the file says neither. */
export async function readPrivileges(pid: number): Promise<ProcessPrivileges | null> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const noNewPrivs = /^NoNewPrivs:\s+(\d)/m.exec(status)?.[1];
  const bounding = /^CapBnd:\s+([0-9a-f]+)/m.exec(status)?.[1];
  if (noNewPrivs === undefined || bounding === undefined) return null;
  const mask = BigInt(`0x${bounding}`);
  const has = (cap: bigint): boolean => ((mask >> cap) & 1n) === 1n;
  return { noNewPrivs: noNewPrivs === "1", setuidCaps: has(CAP_SETUID) && has(CAP_SETGID) };
}
