import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { logBotArgv, readBotPids } from "../testing/bots.js";
import { processLab } from "../testing/process-lab.js";
import { restartService } from "./restart-sequence.js";
import { systemClock } from "../process/system-clock.js";
import type { Check } from "../core/check.js";
import { createFakeRunner } from "../testing/fake-runner.js";

const SETTINGS = { stopTimeoutMs: 2000, killWaitMs: 2000, verifyTimeoutMs: 60_000, startupGraceMs: 0 };

/** A real bot runner whose start watches the fresh process for a minute: a shutdown lands in it. */
function slowStartingBot(t: TestContext) {
  const lab = processLab();
  t.after(() => lab.close());
  const pidFile = join(lab.dir, "bot.pid");
  const runner = lab.runner({ name: "bot", command: logBotArgv(join(lab.dir, "bot.log"), { everyMs: 100 }), env: { LOG_BOT_PID_FILE: pidFile }, settleMs: 60_000 });
  return { runner, pidFile };
}

test("a shutdown during the start step says the new process started, with its PID, not that the start failed", async (t) => {
  const { runner, pidFile } = slowStartingBot(t);
  const shutdown = new AbortController();
  const restarting = restartService({ name: "bot", runner, checks: [] }, SETTINGS, { clock: systemClock, signal: shutdown.signal });
  const { pid } = await readBotPids(pidFile);
  shutdown.abort();
  const outcome = await restarting;
  assert.equal(outcome.ok, false);
  assert.equal(outcome.summary, `Restart of "bot" interrupted by Lifeguard's shutdown after the new process started (PID ${pid})`);
  assert.deepEqual(outcome.steps.map((step) => step.step), ["stop", "kill", "start"]);
  assert.equal(runner.pid, pid, "the process runs on until the shutdown stops it");
});

test("a shutdown before the start step says no new process was started, and none is", async (t) => {
  const { runner } = slowStartingBot(t);
  const shutdown = new AbortController();
  shutdown.abort();
  const outcome = await restartService({ name: "bot", runner, checks: [] }, SETTINGS, { clock: systemClock, signal: shutdown.signal });
  assert.equal(outcome.summary, `Restart of "bot" interrupted by Lifeguard's shutdown before the new process started`);
  assert.deepEqual(outcome.steps.map((step) => step.step), ["stop"]);
  assert.equal(runner.pid, null);
});

test("a restart tells the checks of the start after the kill and before the start, at the time of the start", async () => {
  const runner = createFakeRunner();
  const marks: Array<{ at: number; calls: string[] }> = [];
  const check: Check = {
    id: "log-fresh", alertOnly: false, dueAt: () => null,
    run: async () => ({ check: "log-fresh", ok: true, summary: "ok", evidence: {}, durationMs: 0, timedOut: false, at: 0, alertOnly: false }),
    markStart: async (at) => void marks.push({ at, calls: [...runner.calls] }),
  };
  const before = systemClock.now();
  const outcome = await restartService({ name: "bot", runner, checks: [check] }, SETTINGS, { clock: systemClock, signal: new AbortController().signal });
  assert.equal(outcome.ok, true, outcome.summary);
  assert.equal(marks.length, 1);
  assert.deepEqual(marks[0]?.calls, ["stop", "kill"]);
  assert.ok((marks[0]?.at ?? 0) >= before);
  assert.ok(runner.calls.indexOf("start") > runner.calls.indexOf("kill"));
});
