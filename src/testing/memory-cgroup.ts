import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cgroup2Mount } from "../process/cgroup.js";
import { randomToken } from "../process/random-token.js";
import { waitFor } from "./wait-for.js";

/** Where cgroup v1's memory hierarchy is mounted, on a box that keeps the memory controller there (hybrid). */
const V1_MEMORY = "/sys/fs/cgroup/memory";

/** A cgroup whose memory is limited, for a test's bot to move itself into (`procs`: write its pid there). */
export interface MemoryCgroup {
  procs: string;
  /** `memory.max (cgroup v2)` or `memory.limit_in_bytes (cgroup v1)`. */
  how: string;
  /** Removes it once the processes in it are gone (a killed one takes a moment to leave); call it after what ends them. */
  remove(): Promise<void>;
}

/**
 * A new cgroup whose memory is limited to `bytes`, with no swap: under the cgroup v2 root where
 * it offers the memory controller (memory.max), else in cgroup v1's memory hierarchy
 * (memory.limit_in_bytes: a hybrid box, which binds the memory controller to v1, so that no v2
 * cgroup, delegated or not, can have a memory.max). A bot that allocates past it is OOM-killed by
 * the kernel. `{ skip }` says why none can be made (not root, no memory controller anywhere).
 */
export function memoryLimitedCgroup(bytes: number): MemoryCgroup | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: "needs root to create a cgroup" };
  const name = `lifeguard-test-${randomToken().slice(0, 12)}`;
  const v2 = cgroup2Mount();
  const controllers = v2 === null ? "" : readOr(join(v2, "cgroup.subtree_control"));
  try {
    if (v2 !== null && controllers.split(" ").includes("memory")) {
      const dir = join(v2, name);
      mkdirSync(dir);
      writeFileSync(join(dir, "memory.max"), String(bytes));
      if (existsSync(join(dir, "memory.swap.max"))) writeFileSync(join(dir, "memory.swap.max"), "0");
      return { procs: join(dir, "cgroup.procs"), how: "memory.max (cgroup v2)", remove: () => removeDir(dir) };
    }
    if (!existsSync(join(V1_MEMORY, "memory.limit_in_bytes"))) return { skip: `no memory controller: not in the cgroup v2 root's subtree_control ("${controllers.trim()}"), no cgroup v1 memory hierarchy` };
    const dir = join(V1_MEMORY, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "memory.limit_in_bytes"), String(bytes));
    // memsw (memory and swap) may not be below the memory limit: written after it.
    if (existsSync(join(dir, "memory.memsw.limit_in_bytes"))) writeFileSync(join(dir, "memory.memsw.limit_in_bytes"), String(bytes));
    return { procs: join(dir, "cgroup.procs"), how: "memory.limit_in_bytes (cgroup v1)", remove: () => removeDir(dir) };
  } catch (error) {
    return { skip: `cannot make a memory-limited cgroup: ${(error as Error).message}` };
  }
}

function readOr(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** Removes the cgroup once it is empty: the kernel refuses (EBUSY) while a process is still in it, for up to 10 s. */
async function removeDir(dir: string): Promise<void> {
  const removed = await waitFor(() => {
    try {
      rmdirSync(dir);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ENOENT";
    }
  }, { timeoutMs: 10_000, intervalMs: 50 });
  if (!removed) throw new Error(`Cannot remove the test cgroup ${dir}: processes ${readOr(join(dir, "cgroup.procs")).trim().split("\n").join(", ")} are still in it`);
}
