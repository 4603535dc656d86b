import { test } from "node:test";
import assert from "node:assert/strict";
import { engineLab } from "../testing/engine-lab.js";
import { utimesSync, writeFileSync } from "node:fs";
import { checkService } from "./check-service.js";
import { initialState } from "../core/state.js";

function setup(t: { after(fn: () => void): void }, options: { failStep?: "stop" | "kill" | "start"; threshold?: number } = {}) {
  const lab = engineLab(t, { "failure-threshold": options.threshold ?? 1, "startup-grace": "1s", restart: { "verify-timeout": "2s" } }, options.failStep === undefined ? {} : { failStep: options.failStep });
  const makeStale = () => utimesSync(lab.log, new Date(Date.now() - 600_000), new Date(Date.now() - 600_000));
  return { parts: lab.parts, runner: lab.runner, store: lab.store, logger: lab.logger, deps: lab.deps, makeStale, log: lab.log };
}

test("a healthy round exits 0 and touches nothing", async (t) => {
  const { parts, runner, deps, logger } = setup(t);
  const report = await checkService(parts, deps, { dryRun: false });
  assert.equal(report.exitCode, 0);
  assert.equal(report.verdict.status, "healthy");
  assert.deepEqual(runner.calls, ["status"]);
  const lines = logger.entries.map((e) => `[${e.tag}] ${e.message}`);
  assert.equal(lines.length, 3);
  assert.equal(lines[0], '[OK] Service "trader" is active');
  assert.match(lines[1] ?? "", /^\[OK\] Log file is fresh \(\d+m?s old\)$/);
  assert.equal(lines[2], "[OK] All health checks passed");
});

test("a stale log at the threshold is restarted in order stop, kill, start, verify, and recorded", async (t) => {
  const { parts, runner, deps, store, makeStale, log } = setup(t);
  makeStale();
  // Verification looks at the log again: the restarted bot writes to it.
  const start = runner.start.bind(runner);
  runner.start = async (timeoutMs, signal) => {
    writeFileSync(log, "VIX 16\n");
    return start(timeoutMs, signal);
  };
  const report = await checkService(parts, deps, { dryRun: false });
  assert.equal(report.exitCode, 1);
  assert.equal(report.restart?.ok, true);
  assert.deepEqual(report.restart?.steps.map((step) => step.step), ["stop", "kill", "start", "verify"]);
  assert.deepEqual(runner.calls.filter((call) => call !== "status"), ["stop", "kill", "start"]);
  const history = store.history({ service: "trader" });
  const restart = history.find((entry) => entry.type === "restart");
  assert.ok(restart !== undefined && restart.type === "restart");
  assert.equal(restart.restart.ok, true);
  assert.match(restart.restart.reason, /^Log file is stale: last written 10m ago \(max-age 5m\)$/);
  assert.deepEqual(restart.restart.steps.map((step) => step.step), ["stop", "kill", "start", "verify"]);
  assert.ok(history.some((entry) => entry.type === "event" && entry.event.kind === "restarted"));
  assert.equal(store.loadState("trader").health.kind, "healthy");
});

test("a kill that fails ends the restart before any start, exit 2", async (t) => {
  const { parts, runner, deps, store, makeStale } = setup(t, { failStep: "kill" });
  makeStale();
  const report = await checkService(parts, deps, { dryRun: false });
  assert.equal(report.exitCode, 2);
  assert.equal(report.restart?.ok, false);
  assert.equal(report.restart?.summary, 'Cannot restart "trader" as it did not stop: kill failed');
  assert.ok(!runner.calls.includes("start"));
  assert.equal(store.loadState("trader").health.kind, "failing");
  assert.ok(store.history({}).some((entry) => entry.type === "event" && entry.event.kind === "restart-failed"));
});

test("below the failure threshold nothing is restarted and the exit code is 2", async (t) => {
  const { parts, runner, deps, makeStale } = setup(t, { threshold: 2 });
  makeStale();
  const report = await checkService(parts, deps, { dryRun: false });
  assert.equal(report.exitCode, 2);
  assert.equal(report.verdict.status, "failing");
  assert.deepEqual(runner.calls, ["status"]);
});

test("a dry run says it would restart and changes nothing", async (t) => {
  const { parts, runner, deps, store, logger, makeStale } = setup(t);
  makeStale();
  const report = await checkService(parts, deps, { dryRun: true });
  assert.equal(report.verdict.status, "restart");
  assert.equal(report.actions.filter((action) => action.type === "restart").length, 1);
  assert.equal(report.restart, null);
  assert.deepEqual(runner.calls, ["status"]);
  assert.deepEqual(store.history({}), []);
  assert.equal(store.stats().stateWrites, 0);
  assert.match(logger.entries.at(-1)?.message ?? "", /^Would restart: /);
});

test("a steady daemon round takes no lock and writes nothing; one that changes something runs under the lock", async (t) => {
  const { parts, deps, store, logger, makeStale } = setup(t);
  const first = await checkService(parts, deps, { dryRun: false, logPassing: false, steadyWithoutLock: true });
  assert.equal(first.verdict.status, "healthy");
  const before = store.stats().rowsChanged;
  for (let round = 0; round < 20; round++) {
    const report = await checkService(parts, deps, { dryRun: false, logPassing: false, steadyWithoutLock: true });
    assert.equal(report.verdict.status, "healthy");
    assert.equal(report.state.healthySince, first.state.healthySince);
  }
  assert.equal(store.stats().rowsChanged, before, "no lock row, no state, no checked_at");
  makeStale();
  const stale = await checkService(parts, deps, { dryRun: false, logPassing: false, steadyWithoutLock: true });
  assert.equal(stale.verdict.status, "restart");
  assert.notEqual(stale.restart, null);
  assert.equal(logger.entries.filter((entry) => /^Log file is stale/.test(entry.message)).length, 1, "the observation is logged once, by the locked round");
});

test("the log line of giving up says how to re-arm, as the alert does", async (t) => {
  const { parts, deps, store, logger, makeStale } = setup(t);
  const now = Date.now();
  store.commitRound("trader", { state: { ...initialState(), restarts: [now - 3000, now - 2000, now - 1000] }, events: [], checkedAt: now });
  makeStale();
  const report = await checkService(parts, deps, { dryRun: false });
  assert.equal(report.health, "gave-up");
  const line = logger.entries.find((entry) => entry.tag === "GAVE-UP");
  assert.equal(line?.message, 'Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3). ' +
    'Manual intervention needed: fix the cause, then run "lifeguard reset trader" to re-arm automatic restarts');
});

test("the daemon's round while a decided restart holds the lock follows it quietly: no wait, no log, no write", async (t) => {
  const { parts, runner, deps, store, logger } = setup(t);
  const restarting = { ...initialState(), health: { kind: "restarting" as const, since: Date.now(), reason: "running" } };
  store.commitRound("trader", { state: restarting, events: [], checkedAt: Date.now() });
  const lease = await store.acquireLock("trader", { waitMs: 0 });
  assert.ok(lease !== null);
  t.after(() => void lease.release());
  const report = await checkService(parts, deps, { dryRun: false, logPassing: false, steadyWithoutLock: true });
  assert.deepEqual(report.verdict, { status: "restart", why: 'A restart of "trader" is under way' });
  assert.equal(report.health, "restarting");
  assert.deepEqual(logger.entries, []);
  assert.deepEqual(store.loadState("trader"), restarting);
  assert.deepEqual(runner.calls.filter((call) => call !== "status"), []);
});
