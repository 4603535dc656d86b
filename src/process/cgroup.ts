import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The cgroup v2 files Lifeguard uses, read and written directly (kernel's cgroup-v2.rst): which
 * processes a cgroup holds (`cgroup.procs`, of it and every cgroup below), moving one there, and
 * `cgroup.kill` (Linux 5.14 on), which SIGKILLs every process of a cgroup at once, so that none
 * forking at that moment can slip through.
 */

/** Where the cgroup v2 hierarchy is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on a hybrid box); null when none is. */
export function cgroup2Mount(mountinfo = readQuietly("/proc/self/mountinfo")): string | null {
  for (const line of (mountinfo ?? "").split("\n")) {
    // `36 25 0:31 / /sys/fs/cgroup rw,... shared:9 - cgroup2 cgroup2 rw,...`: the type follows " - ".
    const [mount, filesystem] = line.split(" - ");
    if (filesystem?.split(" ")[0] !== "cgroup2") continue;
    const point = mount?.split(" ")[4];
    if (point !== undefined) return unescapeMountPath(point);
  }
  return null;
}

/** The cgroup v2 path of a process (`0::/system.slice/lifeguard.service`), relative to the mount; null when it has none. */
export function cgroupPathOf(pid: number | "self" = "self"): string | null {
  const text = readQuietly(`/proc/${pid}/cgroup`);
  const line = text?.split("\n").find((entry) => entry.startsWith("0::"));
  return line === undefined ? null : line.slice(3);
}

/** The pids in the cgroup at `dir` and in every cgroup below it; empty when it is gone. */
export function cgroupProcs(dir: string): number[] {
  const pids: number[] = [];
  const pending = [dir];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    const text = readQuietly(join(current, "cgroup.procs"));
    if (text === null) continue;
    for (const line of text.split("\n")) if (line !== "") pids.push(Number(line));
    for (const child of subgroups(current)) pending.push(join(current, child));
  }
  return pids;
}

/** Moves the process (all its threads) into the cgroup at `dir`; throws the kernel's refusal (ENOENT, EACCES, EBUSY...). */
export function moveToCgroup(dir: string, pid: number): void {
  writeFileSync(join(dir, "cgroup.procs"), String(pid));
}

/** Creates the cgroup at `dir` unless it exists. */
export function createCgroup(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/**
 * SIGKILLs every process of the cgroup at `dir` and below, atomically (`cgroup.kill`). False when
 * the kernel has no `cgroup.kill` (before 5.14) or the cgroup is gone: then signal each process.
 */
export function killCgroup(dir: string): boolean {
  if (!existsSync(join(dir, "cgroup.kill"))) return false;
  try {
    writeFileSync(join(dir, "cgroup.kill"), "1");
    return true;
  } catch {
    return false;
  }
}

/** Removes the cgroup at `dir` and every cgroup below it, deepest first; true when it is gone (a cgroup that still holds a process stays). */
export function removeCgroup(dir: string): boolean {
  for (const child of subgroups(dir)) removeCgroup(join(dir, child));
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** The names of the cgroups directly below `dir`: its subdirectories (every file of a cgroup is a regular file). */
function subgroups(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** A file's text, or null when it cannot be read (gone, not permitted). */
export function readQuietly(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** mountinfo writes space, tab, newline and backslash in a path as octal escapes (`\040`). */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}
