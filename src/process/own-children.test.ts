import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { ownChildren, processTree } from "./own-children.js";
import { readProcStat, type ProcStat } from "./proc-stat.js";
import { waitFor } from "../testing/wait-for.js";

test("ownChildren lists this process's children, and no other process", async (t) => {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const exited = once(child, "exit");
  t.after(async () => {
    child.kill("SIGKILL");
    await exited;
  });
  const children = ownChildren();
  assert.ok(children !== null, "Linux with /proc/PID/task/TID/children");
  const found = children.find((stat) => stat.pid === child.pid);
  assert.equal(found?.ppid, process.pid);
  assert.ok(children.every((stat) => stat.ppid === process.pid));
  assert.ok(!children.some((stat) => stat.pid === 1 || stat.pid === process.pid));
});

test("processTree lists its roots and every descendant, and no root whose pid another process now holds", async (t) => {
  // A shell with a child of its own: two generations below this process.
  const shell = spawn("sh", ["-c", "sleep 30 & wait"], { stdio: "ignore" });
  const exited = once(shell, "exit");
  t.after(async () => {
    for (const stat of processTree([{ pid: shell.pid as number }]) ?? []) if (stat.pid !== shell.pid) process.kill(stat.pid, "SIGKILL");
    shell.kill("SIGKILL");
    await exited;
  });
  const start = readProcStat(shell.pid as number)?.startTime as number;
  let tree: ProcStat[] | null = null;
  assert.ok(await waitFor(() => (tree = processTree([{ pid: shell.pid as number, startTime: start }]))?.length === 2), "the shell and its sleep");
  const found = tree as unknown as ProcStat[];
  assert.deepEqual(found.map((stat) => stat.pid === shell.pid ? "shell" : stat.ppid === shell.pid ? "child" : "other").sort(), ["child", "shell"]);
  assert.deepEqual(processTree([{ pid: shell.pid as number, startTime: start + 1 }]), [], "a start time not its own: another process at that pid");
  const mine = processTree([{ pid: process.pid }]);
  assert.ok(mine?.some((stat) => stat.pid === shell.pid) && mine.some((stat) => stat.ppid === shell.pid), "this process's tree holds the shell and its child");
});
