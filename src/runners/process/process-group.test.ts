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
  assert.deepEqual(groupMembers({ pgid: pid, leaderStartTime: startTime, token: null }).map((member) => member.pid), [pid]);
});

test("a group whose leader's pid now names another process is not ours: it is never signalled", (t) => {
  const { pid, startTime } = sleeper(t);
  const stale = { pgid: pid, leaderStartTime: startTime - 1, token: null };
  assert.deepEqual(groupMembers(stale), []);
  assert.deepEqual(signalGroup(stale, "SIGKILL", false), []);
  assert.ok(isProcessAlive(pid, startTime), "the other process was spared");
});

test("signalGroup signals a verified group and names its members", async (t) => {
  const { pid, startTime } = sleeper(t);
  assert.deepEqual(signalGroup({ pgid: pid, leaderStartTime: startTime, token: null }, "SIGKILL", false), [pid]);
  for (let tries = 0; isProcessAlive(pid, startTime) && tries < 400; tries += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(isProcessAlive(pid, startTime), false);
});

test("groupMembers finds a helper that left the group with setsid() by the run's token, and nothing with another token", async (t) => {
  const token = "0123456789abcdef0123456789abcdef";
  const spawnSleeper = (variable: string): { pid: number } => {
    // setsid: a session and group of its own, as an escaped helper has.
    const child = spawn("setsid", ["sleep", "30"], { stdio: "ignore", env: { ...process.env, LIFEGUARD_RUN_ID: variable } });
    t.after(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
    return { pid: child.pid as number };
  };
  const { pid: leader, startTime } = sleeper(t);
  const ours = spawnSleeper(token);
  const foreign = spawnSleeper("ffffffffffffffffffffffffffffffff");
  for (let tries = 0; readProcStat(ours.pid)?.pgrp !== ours.pid && tries < 400; tries += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  const members = groupMembers({ pgid: leader, leaderStartTime: startTime, token }).map((member) => member.pid);
  assert.ok(members.includes(leader) && members.includes(ours.pid), `members: ${members.join(", ")}`);
  assert.equal(members.includes(foreign.pid), false, "another run's helper is not ours");
});
