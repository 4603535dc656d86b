import { test } from "node:test";
import assert from "node:assert/strict";
import { nextPolicyDeadline } from "./policy-deadline.js";
import { initialState, type ServiceState } from "./state.js";
import { H, M, POLICY, S, T } from "../testing/policy-fixtures.js";

const state = (over: Partial<ServiceState>): ServiceState => ({ ...initialState(), ...over });

test("nextPolicyDeadline is the end of the startup grace while it lasts, then none", () => {
  const started = state({ lastStartAt: T - 10 * S });
  assert.equal(nextPolicyDeadline(started, T, POLICY), T + 50 * S);
  assert.equal(nextPolicyDeadline(started, T + 50 * S, POLICY), null, "a deadline that has come is no longer ahead");
  assert.equal(nextPolicyDeadline(initialState(), T, POLICY), null);
});

test("nextPolicyDeadline is the end of a backoff wait, the earlier of it and the grace", () => {
  const waiting = state({ health: { kind: "failing", since: T - M, rounds: 3, reason: "stale", backoffUntil: T + 20 * S }, lastStartAt: T - 50 * S });
  assert.equal(nextPolicyDeadline(waiting, T, POLICY), T + 10 * S, "the grace ends first");
  assert.equal(nextPolicyDeadline(waiting, T + 10 * S, POLICY), T + 20 * S);
});

test("nextPolicyDeadline is the rearm time of a service that gave up, only with rearm-after", () => {
  const gaveUp = state({ health: { kind: "gave-up", since: T, reason: "limit" } });
  assert.equal(nextPolicyDeadline(gaveUp, T + M, POLICY), null);
  assert.equal(nextPolicyDeadline(gaveUp, T + M, { ...POLICY, rearmAfterMs: H }), T + H);
});

test("nextPolicyDeadline is the end of the stable period that resets a backoff, only while one is to reset", () => {
  const recovering = state({ backoffStep: 2, healthySince: T - M });
  assert.equal(nextPolicyDeadline(recovering, T, POLICY), T - M + POLICY.backoff.resetAfterMs);
  assert.equal(nextPolicyDeadline({ ...recovering, backoffStep: 0 }, T, POLICY), null, "nothing to reset");
  assert.equal(nextPolicyDeadline({ ...recovering, healthySince: null }, T, POLICY), null, "no stable period begun");
});
