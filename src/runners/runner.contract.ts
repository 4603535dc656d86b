import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { listsProcesses, type Runner, type ServiceProcess } from "../core/runner.js";

/** A process as the runner's world numbers it (for systemd: the sandbox's PID namespace). */
export interface LabProcess {
  pid: number;
  /** Clock ticks after boot: with the pid, it names one process even when pids are reused. */
  startTime: number;
}

/** The log bot of a service and the child it forked (`--child`). */
export interface LabProcesses {
  bot: LabProcess;
  child: LabProcess | null;
}

/** A running service made for one test; its command is the log bot. */
export interface LabService {
  runner: Runner;
  /** The bot's processes; with `previous`, waits until a new bot runs (after a start). */
  processes(previous?: LabProcesses): Promise<LabProcesses>;
}

/** A process outside every service with exactly a service bot's command line. */
export interface LabDecoy {
  process: LabProcess;
  stop(): Promise<void>;
}

/** Why a contract test does not apply to an implementation; the test is skipped with it. */
export interface Skip {
  skip: string;
}

/** What the contract needs from an implementation: real services, real processes. */
export interface RunnerLab {
  /** The bound on one backend call that the lab's runners were built with. */
  commandTimeoutMs: number;
  /** A started service. `ignoreTerm`: its bot ignores SIGTERM (and a graceful stop cannot end it). */
  service(options: { ignoreTerm?: boolean; child?: boolean }): Promise<LabService>;
  /** A service whose command cannot run. */
  brokenService(): Promise<Runner>;
  /** A runner for a service the backend does not know. */
  missingService(): Runner | Skip;
  /** Starts a decoy with the same command line as `service`'s bot. */
  decoy(service: LabService): Promise<LabDecoy>;
  /** Running: neither gone nor a zombie, and the same start time. */
  isAlive(process: LabProcess): boolean;
  /** Makes every backend call hang until the returned function is called. */
  freezeBackend(): Promise<(() => Promise<void>) | Skip>;
  /** The process as the runner numbers it (Lifeguard's own PID namespace); null when it is gone. */
  runnerView(process: LabProcess): LabProcess | null;
}

const GENEROUS_MS = 20_000;
const STOPPED_STATES = ["inactive", "failed"];
const forever = (): AbortSignal => new AbortController().signal;

/** Polls until `condition` holds or `timeoutMs` passes; for the real processes these tests watch. */
async function eventually(condition: () => boolean, timeoutMs = GENEROUS_MS): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; !condition(); await delay(25)) {
    if (Date.now() > end) return false;
  }
  return true;
}

const isSkip = (value: unknown): value is Skip => typeof value === "object" && value !== null && "skip" in value;

/**
 * The runner port's contract (core/runner.ts), run against every implementation with real
 * services (hono's shared router suite is the model). `getLab` is called inside each test, so the
 * caller can build the lab in a `before` hook.
 */
export function runnerContract(getLab: () => RunnerLab): void {
  test("status says a started service is active", async () => {
    const { runner } = await getLab().service({});
    const status = await runner.status(forever());
    assert.equal(status.ok, true, status.summary);
    assert.equal(status.state, "active");
    assert.equal(status.timedOut, false);
    assert.match(status.summary, /active/);
  });

  test("stop ends a well-behaved service and its child, and status then says it is inactive", async () => {
    const lab = getLab();
    const service = await lab.service({ child: true });
    const { bot, child } = await service.processes();
    const stop = await service.runner.stop(GENEROUS_MS, forever());
    assert.equal(stop.ok, true, stop.summary);
    assert.equal(stop.timedOut, false);
    assert.ok(await eventually(() => !lab.isAlive(bot) && (child === null || !lab.isAlive(child))), "bot and child are gone");
    const status = await service.runner.status(forever());
    assert.equal(status.ok, false);
    assert.equal(status.state, "inactive", status.summary);
  });

  test("stop times out on a service that ignores SIGTERM, then kill ends it and its child", async () => {
    const lab = getLab();
    const service = await lab.service({ ignoreTerm: true, child: true });
    const { bot, child } = await service.processes();
    const stop = await service.runner.stop(1000, forever());
    assert.equal(stop.ok, false);
    assert.equal(stop.timedOut, true, stop.summary);
    assert.match(stop.summary, /did not stop within 1s/);
    assert.ok(lab.isAlive(bot), "the bot ignored SIGTERM");

    const kill = await service.runner.kill(GENEROUS_MS, forever());
    assert.equal(kill.ok, true, kill.summary);
    assert.ok(await eventually(() => !lab.isAlive(bot) && (child === null || !lab.isAlive(child))), "bot and child are gone");
    assert.ok(STOPPED_STATES.includes((await service.runner.status(forever())).state));
  });

  test("start after a kill runs a new bot", async () => {
    const service = await getLab().service({ ignoreTerm: true });
    const before = await service.processes();
    assert.equal((await service.runner.kill(GENEROUS_MS, forever())).ok, true);
    const start = await service.runner.start(GENEROUS_MS, forever());
    assert.equal(start.ok, true, `${start.summary} ${start.cause ?? ""}`);
    assert.equal(start.timedOut, false);
    const after = await service.processes(before);
    assert.notDeepEqual(after.bot, before.bot);
    assert.equal((await service.runner.status(forever())).state, "active");
  });

  test("kill of a service that is already stopped succeeds", async () => {
    const service = await getLab().service({});
    assert.equal((await service.runner.stop(GENEROUS_MS, forever())).ok, true);
    const kill = await service.runner.kill(5000, forever());
    assert.equal(kill.ok, true, kill.summary);
  });

  test("start of a service whose command cannot run fails with a cause", async () => {
    const runner = await getLab().brokenService();
    const start = await runner.start(GENEROUS_MS, forever());
    assert.equal(start.ok, false, start.summary);
    assert.equal(start.timedOut, false);
    assert.ok((start.cause ?? "").length > 0, "a cause is given");
    assert.match(start.summary, new RegExp(`"${escape(runner.target)}"`));
  });

  test("status of a service that does not exist says not-found", async (t) => {
    const runner = getLab().missingService();
    if (isSkip(runner)) return void t.skip(runner.skip);
    const status = await runner.status(forever());
    assert.equal(status.ok, false);
    assert.equal(status.state, "not-found");
    assert.equal(status.timedOut, false);
  });

  test("stop, kill and start never touch a process outside the service with the same command line", async (t) => {
    const lab = getLab();
    const service = await lab.service({ ignoreTerm: true });
    const decoy = await lab.decoy(service);
    t.after(() => decoy.stop());
    assert.ok(lab.isAlive(decoy.process));
    await service.runner.stop(500, forever());
    assert.equal((await service.runner.kill(GENEROUS_MS, forever())).ok, true);
    assert.equal((await service.runner.start(GENEROUS_MS, forever())).ok, true);
    assert.ok(lab.isAlive(decoy.process), "the decoy survived stop, kill and start");
  });

  test("a step resolves promptly when its signal aborts", async () => {
    const service = await getLab().service({ ignoreTerm: true });
    const controller = new AbortController();
    const stopping = service.runner.stop(120_000, controller.signal);
    setTimeout(() => controller.abort(), 200);
    const stop = await stopping;
    assert.equal(stop.ok, false);
    assert.equal(stop.timedOut, false, stop.summary);
    assert.ok(stop.durationMs < GENEROUS_MS, "it did not wait for its own timeout");
  });

  test("processes lists the service's process and its child with their start times, and never a process outside it", async (t) => {
    const lab = getLab();
    const service = await lab.service({ child: true });
    const decoy = await lab.decoy(service);
    t.after(() => decoy.stop());
    const { runner } = service;
    assert.ok(listsProcesses(runner), "the runner lists its service's processes");
    const { bot, child } = await service.processes();
    const listed = await runner.processes(forever());
    assert.ok(!("problem" in listed), "problem" in listed ? listed.problem : "");
    const expected = [bot, child].map((process) => (process === null ? null : lab.runnerView(process)));
    assert.ok(expected.every((process) => process !== null), "the bot and its child run");
    assert.deepEqual(listed.processes.map(keyOf).sort(), (expected as ServiceProcess[]).map(keyOf).sort());
    assert.deepEqual(listed.main, expected[0]);
    const outside = lab.runnerView(decoy.process);
    assert.ok(outside !== null && !listed.processes.some((process) => process.pid === outside.pid), "the decoy is not listed");
    assert.match(listed.source, /cgroup|process group/);
  });

  test("processes lists none once the service stopped", async () => {
    const service = await getLab().service({ child: true });
    assert.equal((await service.runner.stop(GENEROUS_MS, forever())).ok, true);
    assert.ok(listsProcesses(service.runner));
    const listed = await service.runner.processes(forever());
    assert.ok(!("problem" in listed), "problem" in listed ? listed.problem : "");
    assert.deepEqual(listed.processes, []);
    assert.equal(listed.main, null);
  });

  test("status resolves with timedOut when the backend does not answer", async (t) => {
    const lab = getLab();
    const { runner } = await lab.service({});
    const thaw = await lab.freezeBackend();
    if (isSkip(thaw)) return void t.skip(thaw.skip);
    try {
      const status = await runner.status(forever());
      assert.equal(status.ok, false);
      assert.equal(status.timedOut, true, status.summary);
      assert.equal(status.state, "unknown");
      assert.ok(status.durationMs < lab.commandTimeoutMs + GENEROUS_MS, "bounded by the command timeout");
    } finally {
      await thaw();
    }
    assert.equal((await runner.status(forever())).state, "active", "the backend answers again");
  });
}

function keyOf(process: ServiceProcess): string {
  return `${process.pid}:${process.startTime}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
