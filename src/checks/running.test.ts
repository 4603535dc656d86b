import { test } from "node:test";
import assert from "node:assert/strict";
import type { Runner, RunnerStatus } from "../core/runner.js";
import type { RunningCheckConfig } from "../config/types.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { createCheck } from "./registry.js";

const config: RunningCheckConfig = { kind: "running", id: "running", timeoutMs: 5000, alertOnly: false };

/** A runner that only answers `status`, the way the test tells it to. */
function createStatusRunner(status: (signal: AbortSignal) => Promise<RunnerStatus>): Runner {
  const unused = () => Promise.reject(new Error("not used by the running check"));
  return { target: "gemini-trader.service", status, stop: unused, kill: unused, start: unused };
}

const reply = (state: string, ok: boolean, extra: Partial<RunnerStatus> = {}): RunnerStatus =>
  ({ ok, state, summary: `"gemini-trader.service" is "${state}"`, evidence: {}, durationMs: 3, timedOut: false, ...extra });

async function observe(status: RunnerStatus) {
  const clock = createFakeClock();
  const check = createCheck(config, { clock, runner: createStatusRunner(async () => status), serviceName: "gemini-trader", heartbeats: unusedHeartbeats });
  return check.run(new AbortController().signal);
}

test("running check passes when the unit is active", async () => {
  const observation = await observe(reply("active", true));
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, 'Service "gemini-trader" is active');
  assert.equal(observation.evidence.state, "active");
  assert.equal(observation.evidence.target, "gemini-trader.service");
  assert.equal(observation.cause, undefined);
});

test("running check fails with the state quoted when the unit is not active", async () => {
  const observation = await observe(reply("failed", false));
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, 'Service "gemini-trader" is not active: "failed"');
  assert.equal(observation.conclusive, true, "a service that is not running needs no confirming round");
  assert.equal(observation.timedOut, false);
  assert.equal(observation.cause, undefined);
});

test("running check says why systemd could not be asked instead of a state", async () => {
  const observation = await observe(reply("unknown", false, {
    summary: 'Cannot ask systemd about "gemini-trader.service" as systemctl timed out after 5s', timedOut: true,
  }));
  assert.equal(observation.summary, 'Cannot ask systemd about "gemini-trader.service" as systemctl timed out after 5s');
  assert.equal(observation.cause, 'Cannot ask systemd about "gemini-trader.service" as systemctl timed out after 5s');
  assert.equal(observation.timedOut, true);
});

test("running check fails when the runner sees an active unit as unhealthy", async () => {
  const observation = await observe(reply("active", false, { summary: "main PID 42 is a zombie" }));
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, 'Service "gemini-trader" is "active" but unhealthy: main PID 42 is a zombie');
});

test("running check times out when the runner never answers, and aborts the runner's signal", async () => {
  const clock = createFakeClock();
  let runnerSignal: AbortSignal | undefined;
  const hanging = createStatusRunner((signal) => {
    runnerSignal = signal;
    return new Promise<RunnerStatus>(() => {});
  });
  const check = createCheck(config, { clock, runner: hanging, serviceName: "gemini-trader", heartbeats: unusedHeartbeats });
  const running = check.run(new AbortController().signal);
  await clock.advance(5000);
  const observation = await running;
  assert.equal(observation.ok, false);
  assert.equal(observation.timedOut, true);
  assert.equal(observation.summary, 'Check "running" timed out after 5s');
  assert.equal(observation.durationMs, 5000);
  assert.equal(runnerSignal?.aborted, true);
});
