import { findAddon, loadAddon } from "./native-addon.js";
import { DEAD_STATES, listProcesses } from "./list-processes.js";
import type { ProcStat } from "./proc-stat.js";
import { isNodeChild, trackNodeChildren } from "./node-children.js";
import { ownChildren } from "./own-children.js";
import { getSystemErrorName } from "node:util";

interface ProcessControl {
  setChildSubreaper(): number;
  reapChild(pid: number): number;
}

/** Whether this process was made a child subreaper: then orphaned descendants become its children. */
let subreaper = false;
let addon: ProcessControl | null = null;

/**
 * Makes Lifeguard the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER): a helper that
 * a service detached with setsid() and whose parent died is then re-parented to Lifeguard, not to
 * PID 1, and Lifeguard can still find and stop it. An adopted orphan that ends must be reaped by
 * Lifeguard, which Node never does for a process it did not spawn: from here on, every SIGCHLD
 * sweeps such zombies (`reapAdoptedZombies`). Returns null when done, else why it could not be
 * (the native addon is not built): services' helpers are then still found by their run token.
 */
export function becomeChildSubreaper(): string | null {
  if (subreaper) return null;
  const found = loadAddon<ProcessControl>(findAddon());
  if (!("addon" in found)) return found.reason;
  // Every child this process has now is Node's own: none could be adopted before the prctl.
  const running = listProcesses().filter((stat) => stat.ppid === process.pid);
  const errno = found.addon.setChildSubreaper();
  if (errno !== 0) return `prctl(PR_SET_CHILD_SUBREAPER) failed with ${errorName(errno)}`;
  addon = found.addon;
  subreaper = true;
  trackNodeChildren(running);
  let scheduled = false;
  // Node's own SIGCHLD handling (libuv) reaps only Node's children; the listener keeps no loop alive.
  process.on("SIGCHLD", () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      reapAdoptedZombies();
    }).unref();
  });
  return null;
}

/**
 * Whether this process is PID 1 of its PID namespace (a container's entrypoint): the kernel then
 * re-parents every orphan of the namespace to it, subreaper or not, and only it can reap them.
 */
export function isNamespaceInit(): boolean {
  return process.pid === 1;
}

/** Whether Lifeguard is a child subreaper. */
export function isChildSubreaper(): boolean {
  return subreaper;
}

/**
 * The living processes Lifeguard adopted: its children that Node did not spawn (orphaned
 * descendants re-parented to it as a subreaper). Empty when it is not one.
 */
export function adoptedProcesses(processes: readonly ProcStat[] = childrenNow()): ProcStat[] {
  if (!subreaper) return [];
  return processes.filter((stat) => stat.ppid === process.pid && !DEAD_STATES.has(stat.state) && !isNodeChild(stat));
}

/** Reaps every adopted orphan that has ended; returns their pids. Node's own children are left to Node. */
export function reapAdoptedZombies(): number[] {
  if (addon === null) return [];
  const reaped: number[] = [];
  for (const stat of childrenNow()) {
    if (stat.ppid !== process.pid || stat.state !== "Z" || isNodeChild(stat)) continue;
    if (addon.reapChild(stat.pid) === stat.pid) reaped.push(stat.pid);
  }
  return reaped;
}

/** This process's children (and maybe others: filter by ppid): its own lists, else the whole table. */
function childrenNow(): ProcStat[] {
  return ownChildren() ?? listProcesses();
}

function errorName(errno: number): string {
  try {
    return getSystemErrorName(-errno);
  } catch {
    return `errno ${errno}`;
  }
}
