import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { isProcessAlive, readProcStat } from "../../process/proc-stat.js";
import { groupMembers, signalGroup } from "./process-group.js";

/** `sleep` leading a process group of its own, SIGKILLed (by its group, which it leads) after the test. */
function sleeper(t: { after(fn: () => Promise<void>): void }): { pid: number; startTime: number } {
  const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid as number;
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-pid, "SIGKILL");
    await exited;
  });
  return { pid, startTime: readProcStat(pid)?.startTime as number };
}

test("groupMembers finds the processes of a group by its id", (t) => {
  const { pid, startTime } = sleeper(t);
  assert.deepEqual(groupMembers({ pgid: pid, leaderStartTime: startTime }).map((member) => member.pid), [pid]);
});

test("a group whose leader's pid now names another process is not ours: it is never signalled", (t) => {
  const { pid, startTime } = sleeper(t);
  const stale = { pgid: pid, leaderStartTime: startTime - 1 };
  assert.deepEqual(groupMembers(stale), []);
  assert.deepEqual(signalGroup(stale, "SIGKILL", false), []);
  assert.ok(isProcessAlive(pid, startTime), "the other process was spared");
});

test("signalGroup signals a verified group and names its members", async (t) => {
  const { pid, startTime } = sleeper(t);
  assert.deepEqual(signalGroup({ pgid: pid, leaderStartTime: startTime }, "SIGKILL", false), [pid]);
  for (let tries = 0; isProcessAlive(pid, startTime) && tries < 400; tries += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(isProcessAlive(pid, startTime), false);
});
