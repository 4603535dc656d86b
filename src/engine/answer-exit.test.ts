import { test } from "node:test";
import assert from "node:assert/strict";
import type { Store } from "../store/index.js";
import { exitLab } from "../testing/exit-lab.js";
import { answerExit } from "./answer-exit.js";
import { checkService } from "./check-service.js";

const WAIT_MS = 20_000;
const forever = (): AbortSignal => new AbortController().signal;

const restartsOf = (store: Store) => store.history({ service: "bot" }).flatMap((entry) => (entry.type === "restart" ? [entry.restart] : []));

test("answerExit restarts a crash from the exit, its decision stored before the spawn, recorded as the loop's round records it", async (t) => {
  const fast = await exitLab(t);
  await fast.crash();
  const report = await answerExit(fast.parts, fast.deps);
  assert.equal(report?.restart?.ok, true, report?.restart?.summary);
  assert.equal((await fast.runner.status(forever())).state, "active");
  const atSpawn = fast.statesAtSpawn.at(-1);
  assert.equal(atSpawn?.health.kind, "restarting", "the decision was committed before the spawn");
  assert.equal(atSpawn?.restarts.length, 1, "the restart counted against the limit before the spawn");

  // The same crash, answered by the loop's round with every check.
  const loop = await exitLab(t);
  await loop.crash();
  const round = await checkService(loop.parts, loop.deps, { dryRun: false });
  const [answered] = restartsOf(fast.store);
  const [rounded] = restartsOf(loop.store);
  assert.ok(answered !== undefined && rounded !== undefined);
  const { reason, attempt, max, ok } = rounded;
  assert.deepEqual({ reason: answered.reason, attempt: answered.attempt, max: answered.max, ok: answered.ok }, { reason, attempt, max, ok });
  assert.equal(answered.reason, 'Service "bot" is not active: "failed"');
  assert.deepEqual(answered.steps.map((step) => step.step), rounded.steps.map((step) => step.step));
  assert.deepEqual(answered.steps.map((step) => step.step), ["stop", "kill", "start", "verify"]);
  assert.deepEqual(report?.events.map((event) => event.kind), round.events.map((event) => event.kind));
  assert.deepEqual(fast.store.loadState("bot").health, { kind: "healthy" });
});

test("answerExit does nothing while the lock is held: the restart or request under way sees the exit itself", async (t) => {
  const lab = await exitLab(t);
  const before = lab.store.loadState("bot");
  const lease = await lab.store.acquireLock("bot", { waitMs: 0 });
  assert.ok(lease !== null);
  await lab.crash();
  assert.equal(await answerExit(lab.parts, lab.deps), null);
  lease.release();
  assert.deepEqual(lab.store.loadState("bot"), before, "nothing written");
  assert.deepEqual(restartsOf(lab.store), []);
  assert.equal(lab.statesAtSpawn.length, 1, "nothing spawned but the first start");
});

test("answerExit leaves a wait of the policy to the loop's round, writing nothing", async (t) => {
  const lab = await exitLab(t, { restart: { backoff: { initial: "1m", max: "1m" } } });
  // A restart a moment ago: the next one waits for the backoff.
  lab.store.commitRound("bot", { state: { ...lab.store.loadState("bot"), restarts: [Date.now() - 1000], backoffStep: 1, lastStartAt: Date.now() - 1000 }, events: [], checkedAt: Date.now() });
  const before = lab.store.loadState("bot");
  await lab.crash();
  assert.equal(await answerExit(lab.parts, lab.deps), null);
  assert.deepEqual(lab.store.loadState("bot"), before);
  assert.equal(lab.statesAtSpawn.length, 1);
  const round = await checkService(lab.parts, lab.deps, { dryRun: false });
  assert.equal(round.verdict.status, "backoff", "the loop's round decides the wait, as before");
});

test("answerExit restarts nothing when the service runs: the exit was answered already", async (t) => {
  const lab = await exitLab(t);
  await lab.crash();
  assert.equal((await lab.runner.start(WAIT_MS, forever())).ok, true);
  assert.equal(await answerExit(lab.parts, lab.deps), null);
  assert.deepEqual(restartsOf(lab.store), []);
});
