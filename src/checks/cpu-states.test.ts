import { after, test } from "node:test";
import assert from "node:assert/strict";
import type { Check } from "../core/check.js";
import type { CpuCheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { statesBotArgv } from "../testing/bots.js";
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

const startBot = (mode: Parameters<typeof statesBotArgv>[0]): Promise<ProcessRunner> => startSupervised(lab, statesBotArgv(mode));
const checkOf = (runner: ProcessRunner, config: CpuCheckConfig): Check => createCheck(config, { clock: systemClock, runner, serviceName: "bot", heartbeats: unusedHeartbeats });

test("cpu fails a thread stuck in uninterruptible sleep (D) for longer than stuck-in-d, naming it and where it waits", async () => {
  const runner = await startBot("stuck-in-d");
  const observation = await runRounds(checkOf(runner, cpuConfig({ stuckInDMs: 1000 })), 30, 300);
  assert.equal(observation.ok, false, observation.summary);
  assert.match(observation.summary, /^"bot"'s thread \d+ \("python3"\) has been in uninterruptible sleep \(D\) for \d(\.\d)?s, waiting in \w+, over its stuck-in-d of 1s: a hung disk, NFS mount or driver\?$/);
  const stuck = observation.evidence.stuckThread as { tid: number; pid: number; wchan: string; forMs: number };
  assert.ok(stuck.forMs > 1000);
  assert.notEqual(stuck.tid, stuck.pid, "the stuck thread, not the main one");
  assert.equal(observation.evidence.threadsInD, 1);
});

test("one look (lifeguard check) sees the thread in D now, and does not fail it: it cannot know for how long", async () => {
  const runner = await startBot("stuck-in-d");
  const observation = await checkOf(runner, cpuConfig({ stuckInDMs: 1000 })).run(forever());
  assert.equal(observation.ok, true, observation.summary);
  assert.equal(observation.evidence.threadsInD, 1);
  assert.equal((observation.evidence.stuckThread as { forMs: number }).forMs, 0);
});

test("cpu fails more zombies than max-zombies: children the bot never reaped", async () => {
  const runner = await startBot({ zombies: 3 });
  const check = checkOf(runner, cpuConfig({ maxZombies: 2 }));
  const observation = await runRounds(check, 20, 200);
  assert.equal(observation.ok, false, observation.summary);
  const main = (await runner.processes(forever())) as { main: { pid: number } };
  assert.equal(observation.summary, `"bot" has 3 zombie processes, children it never reaped (of pid ${main.main.pid}), over its max-zombies of 2`);
  assert.equal(observation.evidence.zombies, 3);
  assert.equal((observation.evidence.zombiePids as number[]).length, 3);
  assert.equal((await checkOf(runner, cpuConfig({ maxZombies: 3 })).run(forever())).ok, true, "3 zombies are not more than 3");
});

test("cpu fails open files that grow without bound across the window", async () => {
  const runner = await startBot("leak-fds");
  const observation = await runRounds(checkOf(runner, cpuConfig({ fdsGrowingMs: 2000 })), 30, 200);
  assert.equal(observation.ok, false, observation.summary);
  assert.match(observation.summary, /^"bot"'s open files rose across the last 2(\.\d)?s with no return to an earlier low \(the low of each part: \d+(, \d+){3,5}\), over its growing fds of 2s: files or sockets it opens and never closes\?$/);
  const lows = observation.evidence.fdsLows as number[];
  assert.ok(lows.every((low, index) => index === 0 || low > (lows[index - 1] as number)));
});

test("cpu fails threads that grow without bound across the window", async () => {
  const runner = await startBot("leak-threads");
  const observation = await runRounds(checkOf(runner, cpuConfig({ threadsGrowingMs: 2000 })), 30, 200);
  assert.equal(observation.ok, false, observation.summary);
  assert.match(observation.summary, /^"bot"'s threads rose across the last 2(\.\d)?s with no return to an earlier low \(the low of each part: [\d, ]+\), over its growing threads of 2s: threads it starts and never ends\?$/);
});

test("a healthy bot whose threads, files and children come and go sees no failure", async () => {
  const runner = await startBot("churn");
  const check = checkOf(runner, cpuConfig({ stuckInDMs: 1000, maxZombies: 1, threadsGrowingMs: 2000, fdsGrowingMs: 2000 }));
  const observation = await runRounds(check, 20, 200);
  assert.equal(observation.ok, true, observation.summary);
  assert.equal(observation.evidence.threadsInD, 0);
  assert.ok((observation.evidence.zombies as number) <= 1, "a child waited for is a zombie for a moment at most");
});
