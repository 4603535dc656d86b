import { test } from "node:test";
import assert from "node:assert/strict";
import type { CheckCommon } from "../config/types.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { createBoundedCheck } from "./bounded-check.js";
import type { Finding, Probe } from "./probe.js";

const config: CheckCommon = { id: "log-fresh", timeoutMs: 5000, alertOnly: true };
const fine: Finding = { ok: true, summary: "Log file is fresh (1s old)", evidence: { path: "/x" } };

test("bounded check fills id, time, alert-only flag and duration of the observation", async () => {
  const clock = createFakeClock();
  const check = createBoundedCheck(config, clock, async () => {
    await clock.sleep(1200);
    return fine;
  });
  assert.equal(check.id, "log-fresh");
  assert.equal(check.alertOnly, true);
  const at = clock.now();
  const running = check.run(new AbortController().signal);
  await clock.advance(1200);
  assert.deepEqual(await running, { ...fine, check: "log-fresh", at, alertOnly: true, durationMs: 1200, timedOut: false });
});

test("bounded check turns work that outlives its timeout into a timed-out observation", async () => {
  const clock = createFakeClock();
  let probeSignal: AbortSignal | undefined;
  const check = createBoundedCheck(config, clock, (signal) => {
    probeSignal = signal;
    return new Promise<Finding>(() => {});
  });
  const running = check.run(new AbortController().signal);
  await clock.advance(4999);
  assert.equal(probeSignal?.aborted, false);
  await clock.advance(1);
  const observation = await running;
  assert.equal(observation.summary, 'Check "log-fresh" timed out after 5s');
  assert.equal(observation.timedOut, true);
  assert.equal(observation.ok, false);
  assert.equal(probeSignal?.aborted, true);
});

test("bounded check says what a probe that explains its timeout was waiting for", async () => {
  const clock = createFakeClock();
  const probe: Probe = () => new Promise<Finding>(() => {});
  probe.explainTimeout = () => ({ summary: "GET http://127.0.0.1:8080/health connected but got no answer within 5s", evidence: { stage: "connected" } });
  const running = createBoundedCheck(config, clock, probe).run(new AbortController().signal);
  await clock.advance(5000);
  const observation = await running;
  assert.equal(observation.summary, "GET http://127.0.0.1:8080/health connected but got no answer within 5s");
  assert.deepEqual(observation.evidence, { stage: "connected", timeoutMs: 5000 });
  assert.equal(observation.timedOut, true);
});

test("bounded check stops when the caller's signal aborts", async () => {
  const clock = createFakeClock();
  const controller = new AbortController();
  const check = createBoundedCheck(config, clock, () => new Promise<Finding>(() => {}));
  const running = check.run(controller.signal);
  controller.abort(new Error("shutting down"));
  const observation = await running;
  assert.equal(observation.summary, 'Check "log-fresh" was aborted before it finished: shutting down');
  assert.equal(observation.cause, "shutting down");
  assert.equal(observation.timedOut, false);
});

test("bounded check does not start a probe when the signal is already aborted", async () => {
  let started = false;
  const check = createBoundedCheck(config, createFakeClock(), async () => {
    started = true;
    return fine;
  });
  const observation = await check.run(AbortSignal.abort(new Error("too late")));
  assert.equal(started, false);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, 'Check "log-fresh" was aborted before it finished: too late');
});

test("bounded check turns an unexpected error into a failed observation with its cause", async () => {
  const check = createBoundedCheck(config, createFakeClock(), async () => {
    throw new TypeError("boom");
  });
  const observation = await check.run(new AbortController().signal);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, 'Cannot run check "log-fresh": boom');
  assert.equal(observation.cause, "boom");
  assert.equal(observation.timedOut, false);
});
