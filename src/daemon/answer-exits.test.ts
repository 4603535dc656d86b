import { test } from "node:test";
import assert from "node:assert/strict";
import type { Scheduler, ServiceLoop } from "../engine/scheduler.js";
import type { ServiceReport } from "../engine/check-service.js";
import { exitLab, type ExitLab } from "../testing/exit-lab.js";
import { waitFor } from "../testing/wait-for.js";
import { answerExits } from "./answer-exits.js";

/** The scheduler as answerExits sees it: one loop, counting its wake-ups and keeping what it was told to record. */
function oneLoop(): Scheduler & { woken: () => number } {
  let woken = 0;
  const loop: ServiceLoop = { service: "bot", lastProgressAt: 0, rounds: 0, lastReport: null, wake: () => void (woken += 1), holding: () => false, record: (report) => void (loop.lastReport = report) };
  return { loops: [loop], done: Promise.resolve(), stop: () => undefined, isProgressing: () => true, woken: () => woken };
}

const lines = (lab: ExitLab): string[] => lab.deps.logger.entries.map((entry) => `[${entry.tag}] ${entry.message}`);

test("an unasked exit is logged and answered at once as a round of its loop, which is not woken: its next round is due from the answer", async (t) => {
  const lab = await exitLab(t);
  const scheduler = oneLoop();
  const rounds: ServiceReport[] = [];
  const answers = answerExits([lab.parts], scheduler, { ...lab.deps, onRound: (report) => void rounds.push(report) });
  t.after(() => answers.unsubscribe());
  await lab.crash();
  assert.ok(await waitFor(() => rounds.length === 1, { timeoutMs: 20_000 }), lines(lab).join("\n"));
  assert.match(lines(lab)[0] ?? "", /^\[FAIL\] "bot" exited on SIGKILL after \d+m?s$/);
  assert.equal(scheduler.woken(), 0, "a round at once would call the fresh start recovered before it ran");
  assert.equal(rounds[0]?.restart?.ok, true);
  assert.equal(scheduler.loops[0]?.lastReport, rounds[0], "its report is the loop's latest");
  assert.equal((await lab.runner.status(new AbortController().signal)).state, "active");
});

test("once finished, an exit is only logged and wakes the loop; finish waits for the answers under way", async (t) => {
  const lab = await exitLab(t);
  const scheduler = oneLoop();
  const answers = answerExits([lab.parts], scheduler, lab.deps);
  t.after(() => answers.unsubscribe());
  const crashed = lab.crash();
  // Asked to finish while the answer runs: it resolves once the restart is done.
  await crashed;
  await answers.finish();
  assert.equal((await lab.runner.status(new AbortController().signal)).state, "active", "the answer under way was carried out");
  assert.equal(scheduler.woken(), 0);
  await lab.crash();
  assert.equal(scheduler.woken(), 1);
  assert.equal((await lab.runner.status(new AbortController().signal)).state, "failed", "not answered: the loop's round decides");
});

test("an answer that fails is logged, and the loop's round is woken to try again", async (t) => {
  const lab = await exitLab(t);
  const scheduler = oneLoop();
  const broken = { ...lab.deps, store: { ...lab.deps.store, acquireLock: () => Promise.reject(new Error("disk I/O error")) } };
  const answers = answerExits([lab.parts], scheduler, broken);
  t.after(() => answers.unsubscribe());
  await lab.crash();
  assert.ok(await waitFor(() => scheduler.woken() === 1, { timeoutMs: 20_000 }));
  assert.equal(lines(lab)[1], '[ERROR] Cannot answer the exit of "bot" at once: disk I/O error');
});
