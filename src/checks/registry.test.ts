import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HeartbeatStore } from "../core/heartbeat.js";
import type { Runner, RunnerStatus } from "../core/runner.js";
import type { CheckConfig, CheckConfigOf, CheckKind } from "../config/types.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { closedPort } from "../testing/http-receiver.js";
import { createCheck } from "./registry.js";

let dir = "";
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-registry-"))));
after(() => rm(dir, { recursive: true, force: true }));

const active: RunnerStatus = { ok: true, state: "active", summary: "active", evidence: {}, durationMs: 1, timedOut: false };
const runner: Runner = {
  target: "gemini-trader.service",
  status: async () => active,
  stop: () => Promise.reject(new Error("not used")),
  kill: () => Promise.reject(new Error("not used")),
  start: () => Promise.reject(new Error("not used")),
};

test("createCheck builds every kind, and every observation carries id, time and alert-only flag", async () => {
  const path = join(dir, "bot.log");
  await writeFile(path, "Update VIX=1\n");
  const common = { timeoutMs: 5000, alertOnly: true };
  const refused = await closedPort();
  // Keyed by kind, so that a kind added to the config registry does not compile here until it has a sample.
  const samples: { [Kind in CheckKind]: Array<CheckConfigOf<Kind>> } = {
    running: [{ kind: "running", id: "running", ...common }],
    "log-fresh": [{ kind: "log-fresh", id: "log-fresh", ...common, path, journal: null, maxAgeMs: 300_000 }],
    "log-activity": [{ kind: "log-activity", id: "log-activity#2", ...common, path, lines: 100, match: "VIX", min: 1, forbid: null, ignoreCase: false, withinMs: null, timestamp: null, journal: null }],
    heartbeat: [
      { kind: "heartbeat", id: "heartbeat", ...common, maxAgeMs: 120_000, file: null },
      { kind: "heartbeat", id: "heartbeat#2", ...common, maxAgeMs: 120_000, file: path },
    ],
    http: [{ kind: "http", id: "http", ...common, url: `http://127.0.0.1:${refused}/health`, method: "GET", status: [{ from: 200, to: 399 }], body: null, headers: {}, followRedirects: false, caFile: null, ca: null }],
    tcp: [{ kind: "tcp", id: "tcp", ...common, host: "127.0.0.1", port: refused }],
    exec: [{ kind: "exec", id: "exec", ...common, command: ["/bin/true"], exitCode: 0, cwd: null, env: {} }],
    memory: [{ kind: "memory", id: "memory", ...common, maxBytes: 500 * 2 ** 20, measure: "rss", of: "service", restartBeforeOomMs: 600_000, windowMs: 600_000, warmupMs: 120_000 }],
    cpu: [{ kind: "cpu", id: "cpu", ...common, pegged: { abovePercent: 90, forMs: 60_000 }, frozen: { belowPercent: 1, forMs: 300_000 }, maxThreads: 100, maxFds: 1000, stuckInDMs: 120_000, maxZombies: 5, threadsGrowingMs: 1_800_000, fdsGrowingMs: 1_800_000 }],
    connection: [{ kind: "connection", id: "connection", ...common, to: { host: "127.0.0.1", port: 4002 }, stuckForMs: null }],
  };
  const configs: CheckConfig[] = Object.values(samples).flat();
  assert.equal(configs.length, 11);
  const clock = createFakeClock();
  const heartbeats: HeartbeatStore = { lookUpHeartbeat: (_service, now) => ({ watchedSince: now, lastPing: null }) };
  for (const config of configs) {
    const check = createCheck(config, { clock, runner, serviceName: "gemini-trader", heartbeats });
    assert.equal(check.id, config.id);
    assert.equal(check.alertOnly, true);
    const observation = await check.run(new AbortController().signal);
    assert.equal(observation.check, config.id);
    assert.equal(observation.at, clock.now());
    assert.equal(observation.alertOnly, true);
    assert.equal(observation.durationMs, 0);
    assert.equal(observation.timedOut, false);
    assert.equal(typeof observation.summary, "string");
  }
});
