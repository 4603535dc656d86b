import { after, test } from "node:test";
import assert from "node:assert/strict";
import type { Check } from "../core/check.js";
import type { MemoryCheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { memoryBotArgv } from "../testing/bots.js";
import { createFakeRunner } from "../testing/fake-runner.js";
import { processLab } from "../testing/process-lab.js";
import { runRounds, startSupervised } from "../testing/check-rounds.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import type { ProcessRunner } from "../runners/process.js";
import { createCheck } from "./registry.js";

const MiB = 2 ** 20;
const lab = processLab();
after(() => lab.close());
const forever = (): AbortSignal => new AbortController().signal;

const memoryConfig = (options: Partial<MemoryCheckConfig>): MemoryCheckConfig => ({
  kind: "memory", id: "memory", timeoutMs: 5000, alertOnly: false,
  maxBytes: null, measure: "rss", of: "service", restartBeforeOomMs: null, windowMs: 600_000, warmupMs: 0, ...options,
});

/** A supervised memory bot, started, and its RSS grown past `hold` MiB. */
async function startBot(options: { hold?: number; leak?: number; burst?: number }): Promise<ProcessRunner> {
  return startSupervised(lab, memoryBotArgv(options));
}

const checkOf = (runner: ProcessRunner, config: MemoryCheckConfig): Check => createCheck(config, { clock: systemClock, runner, serviceName: "bot", heartbeats: unusedHeartbeats });

test("memory fails a supervised service above max, with its size in words and in the evidence", async () => {
  const runner = await startBot({ hold: 60 });
  const observation = await checkOf(runner, memoryConfig({ maxBytes: 40 * MiB })).run(forever());
  assert.equal(observation.ok, false);
  assert.match(observation.summary, /^"bot" uses \d+MiB RSS \(1 process\), over its max of 40MiB$/);
  assert.ok((observation.evidence.rssBytes as number) > 60 * MiB, String(observation.evidence.rssBytes));
  assert.equal(observation.evidence.processes, 1);
  assert.match(String(observation.evidence.source), /^process group \d+/);
});

test("memory passes under max, measured as the main process's PSS", async () => {
  const runner = await startBot({ hold: 60 });
  const observation = await checkOf(runner, memoryConfig({ maxBytes: 1024 * MiB, measure: "pss", of: "main" })).run(forever());
  assert.equal(observation.ok, true, observation.summary);
  assert.match(observation.summary, /^"bot" uses \d+MiB PSS \(main process\)$/);
  assert.ok((observation.evidence.pssBytes as number) > 60 * MiB);
});

test("memory fails a steady leak before it reaches max, with the slope and the projected time", async () => {
  const runner = await startBot({ hold: 20, leak: 8 });
  const check = checkOf(runner, memoryConfig({ maxBytes: 1024 * MiB, restartBeforeOomMs: 600_000, windowMs: 6000 }));
  const observation = await runRounds(check, 40, 400);
  assert.equal(observation.ok, false, observation.summary);
  assert.match(observation.summary, /^"bot" would reach its limit of 1GiB \(max\) in \d+[ms].* at \d+(\.\d)?MiB\/min \(\d+MiB RSS \(1 process\) now\); restart-before-oom is 10m$/);
  const { slopeMiBPerMin, projectedMs, samples, limitBytes } = observation.evidence as { slopeMiBPerMin: number; projectedMs: number; samples: number[]; limitBytes: number };
  assert.ok(slopeMiBPerMin > 60, `${slopeMiBPerMin} MiB/min`);
  assert.ok(projectedMs > 0 && projectedMs < 600_000);
  assert.ok(samples.length >= 8);
  assert.equal(limitBytes, 1024 * MiB);
});

test("memory passes a healthy bot whose memory comes and goes in bursts", async () => {
  const runner = await startBot({ hold: 20, burst: 30 });
  const check = checkOf(runner, memoryConfig({ maxBytes: 400 * MiB, restartBeforeOomMs: 600_000, windowMs: 6000 }));
  const observation = await runRounds(check, 25, 400);
  assert.equal(observation.ok, true, observation.summary);
  assert.equal(typeof observation.evidence.slopeMiBPerMin, "number", "a trend was read");
});

test("memory passes with nothing to measure when the service does not run", async () => {
  const runner = lab.runner({ command: memoryBotArgv({}) });
  const observation = await checkOf(runner, memoryConfig({ maxBytes: MiB })).run(forever());
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, `No process of "bot" runs: no memory to measure`);
});

test("memory cannot look through a runner that lists no processes", async () => {
  const observation = await createCheck(memoryConfig({ maxBytes: MiB }), { clock: systemClock, runner: createFakeRunner(), serviceName: "bot", heartbeats: unusedHeartbeats }).run(forever());
  assert.equal(observation.ok, false);
  assert.equal(observation.unobservable, true);
  assert.match(observation.summary, /^Cannot measure the memory of "bot" as its runner cannot list its processes$/);
});
