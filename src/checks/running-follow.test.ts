import { test } from "node:test";
import assert from "node:assert/strict";
import type { RunningCheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { processLab } from "../testing/process-lab.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { waitFor } from "../testing/wait-for.js";
import { createCheck } from "./registry.js";

const config: RunningCheckConfig = { kind: "running", id: "running", timeoutMs: 5000, alertOnly: false };
const SIGNAL = new AbortController().signal;

/** A running log bot under a process runner, and its followed running check; `changes()` counts the loop's wakes. */
async function followedBot(t: { after(fn: () => unknown): void }) {
  const lab = processLab();
  t.after(() => lab.close());
  const service = await lab.service({});
  const check = createCheck(config, { clock: systemClock, runner: service.runner, serviceName: "bot", heartbeats: unusedHeartbeats });
  let changes = 0;
  t.after(check.follow?.(() => void (changes += 1), () => undefined) ?? (() => undefined));
  return { service, check, changes: () => changes };
}

test("a supervised process's running check holds while it runs, and its crash wakes the loop", async (t) => {
  const { service, check, changes } = await followedBot(t);
  assert.equal(check.holdsFor?.(), 0, "nothing holds before the first look");
  assert.equal((await check.run(SIGNAL)).ok, true);
  assert.equal(check.holdsFor?.(), Number.POSITIVE_INFINITY, "an active process holds until it exits");
  const { bot } = await service.processes();
  process.kill(bot.pid, "SIGKILL");
  assert.ok(await waitFor(() => changes() === 1, { timeoutMs: 10_000 }), "the exit woke the loop");
  assert.equal(check.holdsFor?.(), 0);
  assert.equal((await check.run(SIGNAL)).ok, false);
});

test("a requested stop ends the hold without waking the loop: the restart's own round is under way", async (t) => {
  const { service, check, changes } = await followedBot(t);
  await check.run(SIGNAL);
  assert.ok((check.holdsFor?.() ?? 0) > 0);
  assert.equal((await service.runner.stop(5_000, SIGNAL)).ok, true);
  // The runner tells of an exit once the process's output is drained, as it tells the daemon.
  assert.ok(await waitFor(() => check.holdsFor?.() === 0, { timeoutMs: 10_000 }));
  assert.equal(changes(), 0);
});
