// A supervised run that SIGKILL ends, which Lifeguard did not send: checked against the kernel's
// OOM kills. Its own cgroup's memory.events where it has one with the memory controller (a
// delegated cgroup on a cgroup v2 box), else the machine's /proc/vmstat, named "probably".
import { test } from "node:test";
import assert from "node:assert/strict";
import { PYTHON } from "../testing/bots.js";
import { memoryLimitedCgroup } from "../testing/memory-cgroup.js";
import { labFor, nextExit } from "../testing/process-lab.js";
import { answerExits } from "../daemon/answer-exits.js";
import type { ServiceReport } from "../engine/service-report.js";
import type { Scheduler, ServiceLoop } from "../engine/scheduler.js";
import { exitLab } from "../testing/exit-lab.js";
import { waitFor } from "../testing/wait-for.js";

const WAIT_MS = 20_000;
const forever = (): AbortSignal => new AbortController().signal;
const MiB = 2 ** 20;
/** Whether a memory-limited cgroup can be made here: each test makes its own. */
const probe = memoryLimitedCgroup(64 * MiB);
if (!("skip" in probe)) await probe.remove();
const noOom = "skip" in probe ? probe.skip : false;

/** Moves itself into the cgroup whose cgroup.procs is argv[1], says so, then allocates 8 MiB every argv[2] seconds for ever. */
const HOG = `import os, sys, time
with open(sys.argv[1], "w") as procs:
    procs.write(str(os.getpid()))
print("in its cgroup", flush=True)
chunks = []
while True:
    chunks.append(b"\\x01" * (8 << 20))
    time.sleep(float(sys.argv[2]))
`;
/** Says it runs, then sleeps until killed. */
const SLEEPER = `import time\nprint("running", flush=True)\ntime.sleep(600)\n`;

test("a supervised bot that the OOM killer kills has the OOM killer named as its crash's cause", { skip: noOom }, async (t) => {
  const limited = memoryLimitedCgroup(64 * MiB);
  if ("skip" in limited) return assert.fail(limited.skip);
  const lab = labFor(t);
  // Registered after the lab's cleanup, which ends what is left in it.
  t.after(() => limited.remove());
  const runner = lab.runner({ command: [PYTHON, "-c", HOG, limited.procs, "0.01"] });
  const exited = nextExit(runner);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const exit = await exited;
  assert.deepEqual({ signal: exit.signal, requested: exit.requested, state: exit.state }, { signal: "SIGKILL", requested: false, state: "failed" }, `killed past its ${limited.how}`);
  // No delegated cgroup with the memory controller here: the machine's count, named "probably".
  assert.match(exit.oomKill ?? "", /^probably the kernel's OOM killer: SIGKILL ended it, which Lifeguard did not send, and the machine's OOM kills \(\/proc\/vmstat oom_kill\) rose from \d+ to \d+ while it ran$/);
  const status = await runner.status(forever());
  assert.equal(status.cause, exit.oomKill, "the status names it as the cause, in place of the last output");
  assert.match(status.summary, /was killed by SIGKILL/);
});

test("a SIGKILL from elsewhere with no OOM kill meanwhile, and Lifeguard's own kill, name no OOM killer", async (t) => {
  const lab = labFor(t);
  const runner = lab.runner({ command: [PYTHON, "-c", SLEEPER] });
  const exited = nextExit(runner);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  process.kill(runner.pid as number, "SIGKILL");
  const exit = await exited;
  assert.equal(exit.signal, "SIGKILL");
  assert.equal(exit.oomKill, undefined);
  assert.equal((await runner.status(forever())).cause, "running", "the last output stays the cause");

  const killed = nextExit(runner);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  assert.equal((await runner.kill(WAIT_MS, forever())).ok, true);
  const requested = await killed;
  assert.deepEqual({ signal: requested.signal, requested: requested.requested, oomKill: requested.oomKill }, { signal: "SIGKILL", requested: true, oomKill: undefined });
});

test("the daemon's FAIL line and the restart's running observation name the OOM killer", { skip: noOom }, async (t) => {
  const limited = memoryLimitedCgroup(64 * MiB);
  if ("skip" in limited) return assert.fail(limited.skip);
  // Slow enough to outlive its start and its startup grace of 1 s (64 MiB in about 1.6 s), then killed.
  const lab = await exitLab(t, { command: [PYTHON, "-c", HOG, limited.procs, "0.2"], checks: [] });
  // Registered after the lab's cleanup, which stops the bot it restarted.
  t.after(() => limited.remove());
  const loop: ServiceLoop = { service: "bot", lastProgressAt: 0, rounds: 0, lastReport: null, wake: () => undefined, holding: () => false, record: () => undefined };
  const scheduler: Scheduler = { loops: [loop], done: Promise.resolve(), stop: () => undefined, isProgressing: () => true };
  const rounds: ServiceReport[] = [];
  const answers = answerExits([lab.parts], scheduler, { ...lab.deps, onRound: (report) => void rounds.push(report) });
  t.after(() => answers.unsubscribe());
  assert.ok(await waitFor(() => rounds.length > 0, { timeoutMs: WAIT_MS }), lab.deps.logger.entries.map((entry) => entry.message).join("\n"));
  const fail = lab.deps.logger.entries.find((entry) => entry.tag === "FAIL");
  assert.match(fail?.message ?? "", /^"bot" exited on SIGKILL after \d+(\.\d)?m?s \(probably the kernel's OOM killer: SIGKILL ended it, which Lifeguard did not send, and the machine's OOM kills \(\/proc\/vmstat oom_kill\) rose from \d+ to \d+ while it ran\); last output: in its cgroup$/);
  const running = rounds[0]?.observations.find((observation) => observation.check === "running");
  assert.match(running?.cause ?? "", /^probably the kernel's OOM killer/);
  await answers.finish();
});
