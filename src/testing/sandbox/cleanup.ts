import { existsSync, lstatSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../../process/proc-stat.js";

/** Where sandboxes keep their shared working directories: on the real disk, outside the sandbox's private /tmp. */
export const LAB_ROOT = "/var/lib/lifeguard-lab";
const CGROUP_ROOT = "/sys/fs/cgroup";
const RECORD_FILE = "sandbox.json";

/** A process named by pid and start time (clock ticks after boot): pids are reused, the pair is not. */
export interface ProcessRef {
  pid: number;
  startTime: number;
}

/** What a sandbox leaves on disk, so that a later run can clean up after one whose test process died. */
export interface SandboxRecord {
  kind: "lifeguard-sandbox";
  id: string;
  workdir: string;
  cgroup: string;
  owner: ProcessRef;
  unshare: ProcessRef | null;
  systemd: ProcessRef | null;
}

export const recordPath = (workdir: string): string => join(workdir, RECORD_FILE);

/** SIGKILLs the process if it is still the one recorded; false when there was nothing to kill. */
export function killRecorded(ref: ProcessRef | null): boolean {
  if (ref === null || !isProcessAlive(ref.pid, ref.startTime)) return false;
  try {
    process.kill(ref.pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}

/** The cgroup hierarchies a sandboxed systemd may have created its subtree in. */
function hierarchies(): string[] {
  if (existsSync(join(CGROUP_ROOT, "cgroup.procs"))) return [CGROUP_ROOT];
  const entries = existsSync(CGROUP_ROOT) ? readdirSync(CGROUP_ROOT) : [];
  return entries.map((name) => join(CGROUP_ROOT, name)).filter((path) => lstatSync(path).isDirectory());
}

/** Removes the sandbox's cgroup subtree in every hierarchy, deepest first; true when none is left. */
export function removeCgroupTrees(cgroup: string): boolean {
  let clean = true;
  for (const hierarchy of hierarchies()) {
    const top = join(hierarchy, cgroup);
    if (!existsSync(top)) continue;
    try {
      removeTree(top);
    } catch {
      clean = false; // EBUSY: processes still dying in it
    }
  }
  return clean;
}

function removeTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeTree(join(dir, entry.name));
  }
  rmdirSync(dir);
}

/** Blocks for `ms`: for the exit handler, where nothing asynchronous runs any more. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Kills what the record names, then removes its cgroups and workdir, waiting at most `waitMs`
 * for the processes to leave their cgroups. Synchronous, so it also works in a process 'exit' handler.
 */
export function destroySandboxSync(record: SandboxRecord, waitMs: number): boolean {
  killRecorded(record.systemd);
  killRecorded(record.unshare);
  let clean = removeCgroupTrees(record.cgroup);
  for (let waited = 0; !clean && waited < waitMs; waited += 50) {
    sleepSync(50);
    clean = removeCgroupTrees(record.cgroup);
  }
  rmSync(record.workdir, { recursive: true, force: true });
  return clean;
}

/**
 * Cleans up after sandboxes whose test process is gone (killed before its 'exit' handler could
 * run). Touches only directories under LAB_ROOT that hold a sandbox record, and only processes
 * whose pid and start time match what the record says.
 */
export function reapStaleSandboxes(): void {
  if (!existsSync(LAB_ROOT)) return;
  for (const name of readdirSync(LAB_ROOT)) {
    const record = readRecord(join(LAB_ROOT, name));
    if (record !== null && !isProcessAlive(record.owner.pid, record.owner.startTime)) destroySandboxSync(record, 2000);
  }
}

function readRecord(workdir: string): SandboxRecord | null {
  try {
    const record = JSON.parse(readFileSync(recordPath(workdir), "utf8")) as SandboxRecord;
    return record.kind === "lifeguard-sandbox" && record.workdir === workdir ? record : null;
  } catch {
    return null;
  }
}
