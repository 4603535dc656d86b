import { test } from "node:test";
import assert from "node:assert/strict";
import { decide } from "./decide.js";
import type { Observation } from "./outcome.js";
import type { Decision, ServiceEvent } from "./policy.js";
import { initialState, type ServiceState } from "./state.js";
import { T, S, M, POLICY, observe } from "../testing/policy-fixtures.js";

// A check that cannot observe (its log cannot be read) is no evidence: it never fails a round,
// never restarts, and is announced once with its fix.

const PATH = "/home/bot/logs/bot.log";
const DENIED = `Cannot read log file "${PATH}" as permission was denied`;
const FIX = `Let user "lifeguard" read the log file "${PATH}": run "setfacl -m u:lifeguard:r ${PATH}"`;
const RUNNING = observe("running", true, "Service is active");
const unreadable = (check: string, hint = FIX, alertOnly = false): Observation => ({ ...observe(check, false, DENIED, alertOnly), unobservable: true, hint });
const FRESH = observe("log-fresh", true, "Log file is fresh (3s old)");
const STALE = observe("log-fresh", false, "Log file is stale: last written 6m ago (max-age 5m)");

const state = (over: Partial<ServiceState>): ServiceState => ({ ...initialState(), ...over });
const events = (decision: Decision): ServiceEvent[] => decision.actions.flatMap((a) => (a.type === "event" ? [a.event] : []));

test("decide announces a check that cannot observe once, with its fix, and keeps it in the state", () => {
  const first = decide(state({ healthySince: T - 10 * M }), [RUNNING, unreadable("log-fresh")], T, POLICY, "trader");
  assert.deepEqual(first.state.unobserved, { "log-fresh": { since: T, reason: DENIED, hint: FIX } });
  assert.deepEqual(events(first), [{
    kind: "unobserved", at: T,
    message: `Cannot observe "trader" through check "log-fresh" (no restart until it can): ${DENIED}`,
    data: { check: "log-fresh", since: T, summary: DENIED, hint: FIX },
  }]);
  assert.deepEqual(first.verdict, { status: "unobserved", why: `1 check cannot observe the service, which never restarts: ${DENIED}` });
  assert.equal(first.actions.some((a) => a.type === "restart"), false);

  // Round after round it stays so: the same state, no action, so the daemon writes nothing.
  const steady = decide(first.state, [RUNNING, unreadable("log-fresh")], T + 30 * S, POLICY, "trader");
  assert.deepEqual(steady.state, first.state);
  assert.deepEqual(steady.actions, []);
});

test("decide never counts a check that cannot observe toward the failure threshold", () => {
  let current = initialState();
  for (let round = 0; round < 20; round += 1) {
    const decision = decide(current, [RUNNING, unreadable("log-fresh")], T + round * 30 * S, { ...POLICY, failureThreshold: 1 }, "trader");
    assert.equal(decision.state.health.kind, "healthy");
    assert.equal(decision.actions.some((a) => a.type === "restart"), false);
    current = decision.state;
  }
  assert.deepEqual(current.restarts, []);
});

test("decide judges by the checks that observe, but does not call the service recovered nor stable", () => {
  const restarted = state({ lastStartAt: T - 5 * M, incidentSince: T - 10 * M, backoffStep: 2, healthySince: null });
  const blind = decide(restarted, [RUNNING, unreadable("log-fresh")], T, { ...POLICY, backoff: { ...POLICY.backoff, resetAfterMs: 1 } }, "trader");
  assert.equal(blind.state.incidentSince, T - 10 * M, "the incident stays open");
  assert.equal(blind.state.healthySince, null, "no stable period begins");
  assert.equal(blind.state.backoffStep, 2, "the backoff is not reset");
  assert.deepEqual(events(blind).map((e) => e.kind), ["unobserved"]);

  const seeing = decide(blind.state, [RUNNING, FRESH], T + 5 * M, POLICY, "trader");
  assert.deepEqual(events(seeing).map((e) => [e.kind, e.message]), [
    ["recovered", '"trader" is healthy again after 15m'],
    ["observed", `Observing "trader" through check "log-fresh" again after 5m: ${FRESH.summary}`],
  ]);
  assert.equal(seeing.state.unobserved, undefined, "the map is left out once empty");
  assert.deepEqual(events(seeing)[1]?.data, { check: "log-fresh", since: T, durationMs: 5 * M, ok: true, summary: FRESH.summary });
});

test("decide counts a check that observes again but fails, after saying it observes again", () => {
  const blind = decide(initialState(), [RUNNING, unreadable("log-fresh")], T, POLICY, "trader");
  const stale = decide(blind.state, [RUNNING, STALE], T + M, POLICY, "trader");
  assert.deepEqual(events(stale).map((e) => e.kind), ["failing", "observed"]);
  assert.equal(stale.state.health.kind, "failing");
  assert.equal(events(stale)[1]?.data.ok, false);
});

test("decide announces a check again when its fix changes: the directory opened, the file itself is denied", () => {
  const directory = decide(initialState(), [RUNNING, unreadable("log-fresh", "Let user \"lifeguard\" enter the directory")], T, POLICY, "trader");
  const file = decide(directory.state, [RUNNING, unreadable("log-fresh")], T + M, POLICY, "trader");
  assert.deepEqual(events(file).map((e) => e.kind), ["unobserved"]);
  assert.deepEqual(file.state.unobserved?.["log-fresh"], { since: T, reason: DENIED, hint: FIX }, "since when is kept");
});

test("decide gives an unobserved round the verdict of what the others saw, plus what cannot be seen", () => {
  const failing = state({ health: { kind: "failing", since: T - M, rounds: 1, reason: "x" } });
  const quiet = decide(failing, [unreadable("log-fresh")], T, POLICY, "trader");
  assert.deepEqual(quiet.verdict, { status: "failing", why: `Nothing to judge "trader" by, state unchanged; cannot observe: ${DENIED}` });
  assert.deepEqual(quiet.state.health, failing.health);
  const crash = decide(initialState(), [{ ...observe("running", false, "Service is inactive"), conclusive: true }, unreadable("log-fresh")], T, POLICY, "trader");
  assert.equal(crash.verdict.status, "restart");
  assert.match(crash.verdict.why, new RegExp(`; cannot observe: ${DENIED}$`));
});

test("decide keeps an alert-only check's problem while it cannot observe, and forgets a removed check quietly", () => {
  const memory = observe("memory", false, "Memory 950MiB is over 900MiB", true);
  const failingAlertOnly = decide(initialState(), [RUNNING, memory], T, POLICY, "trader");
  const blind = decide(failingAlertOnly.state, [RUNNING, unreadable("memory", FIX, true)], T + M, POLICY, "trader");
  assert.deepEqual(blind.state.alertOnlySince, { memory: T });
  assert.deepEqual(events(blind).map((e) => e.kind), ["unobserved"], "no recovered: it is not known to pass");
  const removed = decide(blind.state, [RUNNING], T + 2 * M, POLICY, "trader");
  assert.deepEqual(events(removed), []);
  assert.equal(removed.state.unobserved, undefined);
});
