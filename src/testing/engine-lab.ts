import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCheck } from "../checks/registry.js";
import { createMemoryLogger } from "../core/logger.js";
import type { EngineDeps, ServiceParts } from "../engine/check-service.js";
import { systemClock } from "../process/system-clock.js";
import { openStore } from "../store/index.js";
import { buildConfig } from "./build-config.js";
import { createFakeRunner } from "./fake-runner.js";
import { unusedHeartbeats } from "./unused-heartbeats.js";

export interface EngineLab {
  dir: string;
  /** The log the service's log-fresh check reads, just written. */
  log: string;
  parts: ServiceParts;
  runner: ReturnType<typeof createFakeRunner>;
  store: ReturnType<typeof openStore>;
  logger: ReturnType<typeof createMemoryLogger>;
  deps: EngineDeps;
}

/**
 * One service "trader" (systemd: trader.service) for the engine's unit tests: a fresh log it
 * checks with log-fresh (max-age 5m), a fake runner, a real store and a memory logger in a
 * temporary directory removed after the test. `service` adds to or overrides its settings.
 */
export function engineLab(t: { after(fn: () => void): void }, service: Record<string, unknown> = {}, runnerOptions: { failStep?: "stop" | "kill" | "start" } = {}): EngineLab {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-engine-"));
  const log = join(dir, "bot.log");
  writeFileSync(log, "VIX 15\n");
  const config = buildConfig({ state: join(dir, "state"), services: { trader: { systemd: "trader.service", checks: [{ "log-fresh": { path: log, "max-age": "5m" } }], ...service } } });
  const settings = config.services[0]!;
  const runner = createFakeRunner(runnerOptions.failStep === undefined ? {} : { failStep: runnerOptions.failStep });
  const checks = settings.checks.map((check) => createCheck(check, { clock: systemClock, runner, serviceName: settings.name, heartbeats: unusedHeartbeats }));
  const parts: ServiceParts = { config: settings, runner, checks };
  const store = openStore(config.state, { retention: config.retention });
  const logger = createMemoryLogger();
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const deps = { store, clock: systemClock, logger, signal: new AbortController().signal };
  return { dir, log, parts, runner, store, logger, deps };
}
