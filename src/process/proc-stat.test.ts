import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isProcessAlive, parseProcStat, readBootId, readProcStat } from "./proc-stat.js";

/** Ends only the children this test started, by pid, even when an assertion failed. */
function track(t: { after(fn: () => void): void }, child: ChildProcess): ChildProcess {
  t.after(() => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
  });
  return child;
}

async function waitForState(pid: number, state: string): Promise<void> {
  for (let i = 0; i < 500 && readProcStat(pid)?.state !== state; i++) await sleep(10);
  assert.equal(readProcStat(pid)?.state, state);
}

const SAMPLE = "4242 (a) (b c) S 17 4242 4242 0 -1 4194560 1 0 0 0 3 4 0 0 20 0 1 0 987654 12345 67 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

const ZOMBIE_MAKER = "import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(1000)";

test("parseProcStat reads the fields after the last parenthesis", () => {
  assert.deepEqual(parseProcStat(SAMPLE), { pid: 4242, state: "S", ppid: 17, pgrp: 4242, startTime: 987654 });
});

test("parseProcStat rejects text that is not a stat line", () => {
  for (const bad of ["", "4242 (x", "4242 (x) S 1 2", "abc (x) S 1 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1"]) assert.equal(parseProcStat(bad), null, bad);
});

test("readProcStat reads this process", () => {
  const stat = readProcStat(process.pid);
  assert.ok(stat);
  assert.equal(stat.pid, process.pid);
  assert.equal(stat.ppid, process.ppid);
  assert.ok(stat.startTime > 0);
  assert.equal(isProcessAlive(process.pid, stat.startTime), true);
});

test("readProcStat handles a command name with spaces and parentheses", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-proc-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const odd = join(dir, "sl) e (p");
  copyFileSync("/bin/sleep", odd);
  const child = track(t, spawn(odd, ["1000"], { stdio: "ignore" }));
  await waitForState(child.pid as number, "S");
  assert.match(readFileSync(`/proc/${child.pid}/stat`, "utf8"), /^\d+ \(sl\) e \(p\) S /);
  const stat = readProcStat(child.pid as number);
  assert.equal(stat?.ppid, process.pid);
  assert.equal(isProcessAlive(child.pid as number, stat?.startTime ?? null), true);
});

test("isProcessAlive says a reused pid (other start time) and a gone process are dead", async (t) => {
  const own = readProcStat(process.pid);
  assert.equal(isProcessAlive(process.pid, (own?.startTime ?? 0) + 1), false);
  const child = track(t, spawn("/bin/sleep", ["1000"], { stdio: "ignore" }));
  const pid = child.pid as number;
  const startTime = readProcStat(pid)?.startTime ?? null;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(pid, "SIGKILL");
  await exited;
  assert.equal(readProcStat(pid), null);
  assert.equal(isProcessAlive(pid, startTime), false);
});

test("isProcessAlive says a zombie is dead", async (t) => {
  // A parent that forks a child which exits at once, and never reaps it.
  const parent = track(t, spawn("/usr/bin/python3", ["-c", ZOMBIE_MAKER], { stdio: ["ignore", "pipe", "ignore"] }));
  const [chunk] = (await once(parent.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  const zombie = Number(String(chunk).trim());
  await waitForState(zombie, "Z");
  const stat = readProcStat(zombie);
  assert.equal(stat?.ppid, parent.pid);
  assert.equal(isProcessAlive(zombie, stat?.startTime ?? null), false);
});

test("readBootId reads this boot's id", () => {
  assert.match(readBootId() ?? "", /^[0-9a-f-]{36}$/);
});
