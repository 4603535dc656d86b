import { ChildProcess } from "node:child_process";
import type { ProcStat } from "./proc-stat.js";

const children = new Set<number>();
/** Children that ran before tracking began, by pid and start time: Node's own, though no spawn was seen. */
const earlier = new Map<number, number>();
let installed = false;

/**
 * Keeps the pids of the children Node itself spawned until Node has reaped them (their `exit`
 * event). A subreaper must reap the orphans it adopts, and only those: taking the exit status of
 * one of Node's own children would keep its `exit` event from ever firing. Every asynchronous
 * spawn (spawn, execFile, exec, fork) goes through ChildProcess.prototype.spawn, so wrapping it
 * sees each one synchronously, before any code could look at the new zombie. (spawnSync reaps
 * its child before it returns: no zombie of it is ever seen.) `running` are this process's
 * children at that moment: before it was a subreaper, every child was one Node spawned (a
 * loader's helper, say). Idempotent.
 */
export function trackNodeChildren(running: readonly ProcStat[]): void {
  if (installed) return;
  installed = true;
  for (const stat of running) earlier.set(stat.pid, stat.startTime);
  // Node's own method, which its typings leave out: child_process.spawn() calls child.spawn(options).
  const prototype = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, ...args: unknown[]): unknown };
  const spawn = prototype.spawn;
  prototype.spawn = function trackedSpawn(this: ChildProcess, ...args: unknown[]) {
    const result = spawn.apply(this, args);
    const pid = this.pid;
    if (pid !== undefined) {
      children.add(pid);
      this.once("exit", () => children.delete(pid));
    }
    return result;
  };
}

/** Whether the process is a child Node spawned and has not reaped yet (only known once tracking is on). */
export function isNodeChild(stat: ProcStat): boolean {
  return children.has(stat.pid) || earlier.get(stat.pid) === stat.startTime;
}
