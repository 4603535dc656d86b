import type { TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCheck } from "../checks/registry.js";
import { createMemoryLogger, type LogEntry } from "../core/logger.js";
import type { RunJournal, SupervisedRun } from "../core/run-journal.js";
import type { ServiceState } from "../core/state.js";
import type { EngineDeps, ServiceParts } from "../engine/check-service.js";
import { systemClock } from "../process/system-clock.js";
import { ProcessRunner, type ProcessExit } from "../runners/process.js";
import { openStore, type Store } from "../store/index.js";
import { buildConfig } from "./build-config.js";
import { logBotArgv, readBotPids } from "./bots.js";
import { unusedHeartbeats } from "./unused-heartbeats.js";

const WAIT_MS = 20_000;
const forever = (): AbortSignal => new AbortController().signal;

/** A supervised service whose crash a test answers: see exitLab. */
export interface ExitLab {
  parts: ServiceParts;
  runner: ProcessRunner;
  store: Store;
  deps: EngineDeps & { logger: { entries: LogEntry[] } };
  /** The store's state of "bot" at each spawn, as the journal was told of it (before the spawn). */
  statesAtSpawn: ServiceState[];
  /** SIGKILLs the running bot (by its pid); resolves with the exit the runner reports. */
  crash(): Promise<ProcessExit>;
}

/** A supervised log bot "bot" (a `command:` service) with its real runner, checks and store, started; gone after the test. */
export async function exitLab(t: TestContext, service: Record<string, unknown> = {}): Promise<ExitLab> {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-answer-exit-"));
  const log = join(dir, "bot.log");
  const pidFile = join(dir, "bot.pid");
  const config = buildConfig({ state: join(dir, "state"), services: { bot: {
    command: logBotArgv(log, { everyMs: 100, pidFile }), checks: [{ "log-fresh": { path: log, "max-age": "1m" } }],
    "failure-threshold": 1, "startup-grace": "1s", restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s" }, ...service,
  } } });
  const settings = config.services[0]!;
  const store = openStore(config.state, { retention: config.retention });
  const statesAtSpawn: ServiceState[] = [];
  const journal: RunJournal = {
    recordRun: (run: SupervisedRun) => void (run.pid === null && statesAtSpawn.push(store.loadState("bot"))),
    forgetRun: () => undefined,
    runsOf: () => [],
  };
  const { command } = settings.runner as { command: string[] };
  const runner = new ProcessRunner({ name: "bot", command, output: null, journal });
  const checks = settings.checks.map((check) => createCheck(check, { clock: systemClock, runner, serviceName: "bot", heartbeats: unusedHeartbeats }));
  t.after(async () => {
    await runner.shutdown({ stopTimeoutMs: 2000, killWaitMs: 5000 });
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const crash = async (): Promise<ProcessExit> => killLeader(runner, (await readBotPids(pidFile)).pid);
  const deps = { store, clock: systemClock, logger: createMemoryLogger(), signal: forever() };
  return { parts: { config: settings, runner, checks }, runner, store, deps, statesAtSpawn, crash };
}


/** SIGKILLs a runner's leader `pid` alone (by its pid); resolves with the exit the runner reports. */
export function killLeader(runner: ProcessRunner, pid: number): Promise<ProcessExit> {
  const exited = new Promise<ProcessExit>((resolve) => {
    const unsubscribe = runner.onExit((exit) => {
      unsubscribe();
      resolve(exit);
    });
  });
  process.kill(pid, "SIGKILL");
  return exited;
}
