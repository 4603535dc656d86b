import { after, test } from "node:test";
import assert from "node:assert/strict";
import type { Check } from "../core/check.js";
import type { CpuCheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { cpuBotArgv } from "../testing/bots.js";
import { createFakeRunner } from "../testing/fake-runner.js";
import { processLab } from "../testing/process-lab.js";
import { runRounds, startSupervised } from "../testing/check-rounds.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import type { ProcessRunner } from "../runners/process.js";
import { createCheck } from "./registry.js";

const lab = processLab();
after(() => lab.close());
const forever = (): AbortSignal => new AbortController().signal;

const cpuConfig = (options: Partial<CpuCheckConfig>): CpuCheckConfig => ({
  kind: "cpu", id: "cpu", timeoutMs: 5000, alertOnly: false, pegged: null, frozen: null, maxThreads: null, maxFds: null, stuckInDMs: null, maxZombies: null, threadsGrowingMs: null, fdsGrowingMs: null, ...options,
});

async function startBot(mode: Parameters<typeof cpuBotArgv>[0]): Promise<ProcessRunner> {
  return startSupervised(lab, cpuBotArgv(mode));
}

const checkOf = (runner: ProcessRunner, config: CpuCheckConfig): Check => createCheck(config, { clock: systemClock, runner, serviceName: "bot", heartbeats: unusedHeartbeats });

test("cpu fails a busy loop as pegged, with its share of a core", async () => {
  const runner = await startBot({ busy: true });
  const observation = await runRounds(checkOf(runner, cpuConfig({ pegged: { abovePercent: 50, forMs: 2000 } })), 20, 400);
  assert.equal(observation.ok, false, observation.summary);
  assert.match(observation.summary, /^"bot" ran or waited to run \d+% of the last 2s \(\d+(\.\d)?% of a core\), above 50% for 2s: a busy loop\?$/);
  assert.ok((observation.evidence.demandPercent as number) > 50);
});

test("cpu fails a deadlocked bot as frozen, though a thread of it still logs \"alive\"", async () => {
  const runner = await startBot({ deadlockAfterS: 0.5 });
  const observation = await runRounds(checkOf(runner, cpuConfig({ frozen: { belowPercent: 1, forMs: 2000 } })), 20, 400);
  assert.equal(observation.ok, false, observation.summary);
  assert.match(observation.summary, /^"bot" used \d(\.\d)?% of a core over the last 2s, under 1% for 2s: it does no work \(a deadlock, a read that never ends\?\)$/);
  assert.equal(observation.evidence.threads, 3, "the two deadlocked workers and the heartbeat thread");
});

test("cpu passes a healthy bot that works in bursts: neither pegged nor frozen", async () => {
  const runner = await startBot({ bursty: true });
  const check = checkOf(runner, cpuConfig({ pegged: { abovePercent: 90, forMs: 2000 }, frozen: { belowPercent: 1, forMs: 2000 } }));
  const observation = await runRounds(check, 12, 400);
  assert.equal(observation.ok, true, observation.summary);
  assert.match(observation.summary, /^"bot" used \d+(\.\d)?% of a core over the last 2s; 1 thread, \d+ open files$/);
});

test("cpu fails more threads than max-threads and more open files than max-fds", async () => {
  const runner = await startBot({ deadlockAfterS: 0.5 });
  const threads = await checkOf(runner, cpuConfig({ maxThreads: 2 })).run(forever());
  assert.equal(threads.summary, `"bot" runs 3 threads, over its max-threads of 2`);
  const files = await checkOf(runner, cpuConfig({ maxFds: 1 })).run(forever());
  assert.equal(files.ok, false);
  assert.match(files.summary, /^"bot" holds \d+ open files, over its max-fds of 1$/);
  assert.equal(typeof files.evidence.cpuSeconds, "number");
});

test("cpu cannot look through a runner that lists no processes", async () => {
  const observation = await createCheck(cpuConfig({ maxThreads: 1 }), { clock: systemClock, runner: createFakeRunner(), serviceName: "bot", heartbeats: unusedHeartbeats }).run(forever());
  assert.equal(observation.unobservable, true);
  assert.equal(observation.summary, `Cannot measure the CPU of "bot" as its runner cannot list its processes`);
});
