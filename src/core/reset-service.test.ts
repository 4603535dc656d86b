import { test } from "node:test";
import assert from "node:assert/strict";
import { resetService } from "./reset-service.js";
import { initialState, type ServiceState } from "./state.js";

const T = 1_732_998_000_000;
const M = 60_000;

test("resetService re-arms a gave-up service: restart window and backoff cleared", () => {
  const gaveUp: ServiceState = {
    ...initialState(),
    health: { kind: "gave-up", since: T - 30 * M, reason: "limit" },
    restarts: [T - 50 * M, T - 40 * M, T - 35 * M],
    backoffStep: 3,
    incidentSince: T - 60 * M,
    lastStartAt: T - 35 * M,
  };
  const decision = resetService(gaveUp, T, "trader");
  const message = 'Reset "trader": automatic restarts re-armed, restart window (3 restarts) and backoff cleared';
  assert.deepEqual(decision.state, { ...gaveUp, health: { kind: "healthy" }, restarts: [], backoffStep: 0 });
  assert.deepEqual(decision.actions, [{ type: "event", event: { kind: "reset", at: T, message, data: { wasGaveUp: true, restartsCleared: 3, backoffStepCleared: 3 } } }]);
  assert.deepEqual(decision.verdict, { status: "healthy", why: message });
});

test("resetService on a service waiting for its backoff ends the wait but keeps it failing", () => {
  const waiting: ServiceState = {
    ...initialState(),
    health: { kind: "failing", since: T - M, rounds: 3, reason: "stale", backoffUntil: T + M },
    restarts: [T - M],
    backoffStep: 2,
  };
  const decision = resetService(waiting, T, "trader");
  assert.deepEqual(decision.state.health, { kind: "failing", since: T - M, rounds: 3, reason: "stale" });
  assert.deepEqual(decision.verdict, { status: "failing", why: 'Reset "trader": restart window (1 restart) and backoff cleared' });
});

test("resetService on a healthy service with no history still records the reset", () => {
  const decision = resetService(initialState(), T, "trader");
  assert.deepEqual(decision.state, initialState());
  assert.equal(decision.verdict.why, 'Reset "trader": restart window (0 restarts) and backoff cleared');
});
