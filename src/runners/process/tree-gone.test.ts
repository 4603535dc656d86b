import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { becomeChildSubreaper } from "../../process/subreaper.js";
import { readProcStat } from "../../process/proc-stat.js";
import type { ProcessRunner } from "../process.js";
import { isTreeGone } from "./process-group.js";
import { logBotArgv, readBotPids, type BotPids } from "../../testing/bots.js";
import { killLeader } from "../../testing/exit-lab.js";
import { processLab } from "../../testing/process-lab.js";

// One test process per file: it becomes a child subreaper below, as the daemon does, and the
// tests run in order (the first one before that).
const forever = (): AbortSignal => new AbortController().signal;
const WAIT_MS = 20_000;

/** A log bot under a ProcessRunner, started; the lab shuts everything down after the test. */
async function startBot(t: TestContext, options: { child?: boolean; orphans?: number } = {}): Promise<{ runner: ProcessRunner; pids: BotPids }> {
  const lab = processLab();
  t.after(() => lab.close());
  const pidFile = join(lab.dir, "bot.pid");
  const runner = lab.runner({ command: logBotArgv(join(lab.dir, "bot.log"), { everyMs: 100, ...options }), env: { LOG_BOT_PID_FILE: pidFile } });
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  return { runner, pids: await readBotPids(pidFile) };
}

const groupOf = (pid: number) => ({ pgid: pid, leaderStartTime: readProcStat(pid)?.startTime ?? null, token: null });

test("without a child subreaper nothing is proved: an orphan would have gone to PID 1", async (t) => {
  const { runner, pids } = await startBot(t);
  const group = groupOf(pids.pid);
  await killLeader(runner, pids.pid);
  assert.equal(isTreeGone(group), false);
});

test("a leader that died alone leaves a tree provably gone when Lifeguard is the reaper of its orphans", async (t) => {
  assert.equal(becomeChildSubreaper(), null, "native/sd-notify is built before the tests");
  const { runner, pids } = await startBot(t);
  const group = groupOf(pids.pid);
  await killLeader(runner, pids.pid);
  assert.equal(isTreeGone(group), true);
  assert.equal(isTreeGone({ ...group, leaderStartTime: null }), false, "no start time (no /proc at the spawn): nothing is proved");
  // A member found by an earlier look (by its token, say) that still lives, outside the group and not adopted.
  const helper = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
  t.after(() => void helper.kill("SIGKILL"));
  const seen = new Map([[`${helper.pid}:${readProcStat(helper.pid as number)?.startTime}`, true]]);
  assert.equal(isTreeGone(group, seen), false);
  assert.equal(isTreeGone(group, new Map([[`${helper.pid}:${readProcStat(helper.pid as number)?.startTime}`, false]])), true, "one found not to be a member is no obstacle");
});

test("a helper left in the group or an adopted orphan is no proof", async (t) => {
  const { runner, pids } = await startBot(t, { child: true, orphans: 1 });
  const group = groupOf(pids.pid);
  const orphan = pids.orphans?.[0] as number;
  await killLeader(runner, pids.pid);
  assert.equal(isTreeGone(group), false, "the child is still in the group");
  process.kill(pids.child as number, "SIGKILL");
  const inGroup = await waitForGone(pids.child as number);
  assert.ok(inGroup, "the child ended");
  assert.equal(readProcStat(orphan)?.ppid, process.pid);
  assert.equal(isTreeGone(group), false, "the orphan, which left the group, was adopted by this process");
});

test("the runner takes a provably gone tree as over: stop, kill and start have nothing left to look for", async (t) => {
  const { runner, pids } = await startBot(t);
  await killLeader(runner, pids.pid);
  const status = await runner.status(forever());
  assert.match(status.summary, /^"[^"]+" is "failed" \(was killed by SIGKILL after \d+m?s\)$/);
  assert.equal((await runner.stop(1000, forever())).summary, `"${runner.target}" was not running`);
  assert.equal((await runner.kill(1000, forever())).summary, `"${runner.target}" had no process left to kill`);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
});

test("the runner still sees an adopted orphan that outlived the leader, and refuses a start beside it", async (t) => {
  const { runner, pids } = await startBot(t, { orphans: 1 });
  const orphan = pids.orphans?.[0] as number;
  await killLeader(runner, pids.pid);
  const status = await runner.status(forever());
  assert.deepEqual(status.evidence.leftPids, [orphan]);
  const refused = await runner.start(WAIT_MS, forever());
  assert.equal(refused.summary, `Cannot start "${runner.target}" as its previous run left 1 process running (PIDs ${orphan})`);
  assert.equal((await runner.kill(WAIT_MS, forever())).ok, true);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
});

/** Waits until `pid` is gone or a zombie. */
async function waitForGone(pid: number): Promise<boolean> {
  for (const end = Date.now() + WAIT_MS; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 10))) {
    const state = readProcStat(pid)?.state;
    if (state === undefined || state === "Z") return true;
  }
  return false;
}
