import { readlinkSync } from "node:fs";
import { readQuietly } from "../process/cgroup.js";
import { listPids } from "../process/list-processes.js";
import type { LabProcess } from "../runners/runner.contract.js";

/**
 * The pid in this process's (the host's) PID namespace of the process a sandbox numbers `process`:
 * the runner, like Lifeguard on a real box, reads cgroups from its own namespace. Found by the
 * `NSpid:` line of each host process in the sandbox's PID namespace (`namespaceOf`, a pid in it).
 */
export function hostPidOf(process: LabProcess, namespaceOf: number): LabProcess | null {
  const namespace = readlinkQuietly(`/proc/${namespaceOf}/ns/pid`);
  for (const pid of listPids()) {
    if (readlinkQuietly(`/proc/${pid}/ns/pid`) !== namespace) continue;
    const line = readQuietly(`/proc/${pid}/status`)?.split("\n").find((entry) => entry.startsWith("NSpid:"));
    if (line === undefined || Number(line.trim().split(/\s+/).at(-1)) !== process.pid) continue;
    return { pid, startTime: process.startTime };
  }
  return null;
}

function readlinkQuietly(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}
