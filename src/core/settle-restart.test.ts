import { test } from "node:test";
import assert from "node:assert/strict";
import { decide } from "./decide.js";
import type { Observation } from "./outcome.js";
import { settleRestart } from "./settle-restart.js";
import { initialState, type ServiceState } from "./state.js";
import { T, S, M, H, POLICY } from "../testing/policy-fixtures.js";

const QUIET: Observation = { check: "log-activity", ok: false, summary: "No recent activity", evidence: {}, durationMs: 1, timedOut: false, at: T, alertOnly: false };

/** The state right after `decide` chose restart number `attempt`. */
const restarting = (attempt: number): ServiceState => ({
  ...initialState(),
  health: { kind: "restarting", since: T, reason: "log-activity" },
  restarts: [...Array.from({ length: attempt - 1 }, (_, i) => T - (attempt - 1 - i) * 10 * M), T],
  backoffStep: attempt,
  incidentSince: T - M,
});

test("settleRestart after a successful restart starts a new grace and says so in the seed's words", () => {
  const decision = settleRestart(restarting(1), { ok: true, summary: 'Restarted "trader": it is active' }, T + 3 * S, POLICY, "trader");
  assert.deepEqual(decision.state, { ...restarting(1), health: { kind: "healthy" }, lastStartAt: T + 3 * S, healthySince: null });
  assert.deepEqual(decision.actions, [{
    type: "event",
    event: {
      kind: "restarted", at: T + 3 * S, message: '"trader" restarted (reason: log-activity), 1 of 3 in the last 1h',
      data: { attempt: 1, max: 3, perMs: H, checks: "log-activity", summary: 'Restarted "trader": it is active' },
    },
  }]);
  assert.equal(decision.verdict.status, "restart");
});

test("settleRestart keeps the incident open: the next passing round closes it", () => {
  const settled = settleRestart(restarting(2), { ok: true, summary: "ok" }, T + 3 * S, POLICY, "trader");
  assert.equal(settled.state.incidentSince, T - M);
  const message = settled.actions[0]?.type === "event" ? settled.actions[0].event.message : "";
  assert.equal(message, '"trader" restarted (reason: log-activity), 2 of 3 in the last 1h');
});

test("settleRestart after a failed restart leaves the problem confirmed and the attempt counted", () => {
  const summary = 'Cannot restart "trader" as it did not start: exit status 1';
  const decision = settleRestart(restarting(1), { ok: false, summary }, T + 3 * S, POLICY, "trader");
  assert.deepEqual(decision.state, {
    ...restarting(1), health: { kind: "failing", since: T - M, rounds: 2, reason: summary }, healthySince: null,
  });
  assert.deepEqual(decision.actions.map((a) => (a.type === "event" ? a.event.message : a.type)), [`${summary} (attempt 1 of 3 in the last 1h)`]);
  assert.deepEqual(decision.verdict, { status: "failing", why: `${summary} (attempt 1 of 3 in the last 1h)` });
});

test("after a failed restart the next failing round restarts again, subject to the backoff", () => {
  const failed = settleRestart(restarting(1), { ok: false, summary: "did not start" }, T + 3 * S, POLICY, "trader").state;
  const tooSoon = decide(failed, [QUIET], T + 5 * S, POLICY, "trader");
  assert.equal(tooSoon.verdict.status, "backoff");
  const later = decide(tooSoon.state, [QUIET], T + 10 * S, POLICY, "trader");
  assert.equal(later.verdict.status, "restart");
  assert.deepEqual(later.state.restarts, [T, T + 10 * S]);
  assert.equal(later.state.backoffStep, 2);
});

test("after the last allowed restart failed the next failing round gives up", () => {
  const failed = settleRestart(restarting(3), { ok: false, summary: "did not start" }, T + 3 * S, POLICY, "trader").state;
  const next = decide(failed, [QUIET], T + M, POLICY, "trader");
  assert.equal(next.state.health.kind, "gave-up");
});
