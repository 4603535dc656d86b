import { test } from "node:test";
import assert from "node:assert/strict";
import { heldBackOf } from "./held-back.js";
import type { PolicySettings } from "./policy.js";
import { initialState, type ServiceState } from "./state.js";

const T = 1_800_000_000_000;
const policy: PolicySettings = {
  failureThreshold: 2, startupGraceMs: 60_000, limit: { max: 3, perMs: 3_600_000 },
  backoff: { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000, minUptimeMs: null }, rearmAfterMs: null, cliAddress: [],
};
const state = (overrides: Partial<ServiceState>): ServiceState => ({ ...initialState(), ...overrides });

test("a fresh start is in its startup grace until start + startup-grace, failing or not", () => {
  assert.deepEqual(heldBackOf(state({ lastStartAt: T }), T + 19_000, policy), { by: "startup-grace", until: T + 60_000, startedAt: T, reason: "" });
  const failing = state({ lastStartAt: T, health: { kind: "failing", since: T + 5000, rounds: 2, reason: "Log file is stale" } });
  assert.deepEqual(heldBackOf(failing, T + 19_000, policy), { by: "startup-grace", until: T + 60_000, startedAt: T, reason: "Log file is stale" });
  assert.equal(heldBackOf(state({ lastStartAt: T }), T + 60_000, policy), null);
});

test("below the threshold, a failing service waits for its next round", () => {
  const failing = state({ health: { kind: "failing", since: T, rounds: 1, reason: "Log file is stale" } });
  assert.deepEqual(heldBackOf(failing, T + 1000, policy), { by: "threshold", rounds: 1, threshold: 2, reason: "Log file is stale" });
  assert.equal(heldBackOf(state({ health: { kind: "failing", since: T, rounds: 2, reason: "x" } }), T + 1000, policy), null);
});

test("a restart that waits for its backoff is held back until then, whatever the grace says", () => {
  const waiting = state({ lastStartAt: T, restarts: [T], health: { kind: "failing", since: T + 30_000, rounds: 2, reason: "exited", backoffUntil: T + 70_000 } });
  assert.deepEqual(heldBackOf(waiting, T + 40_000, policy), { by: "backoff", until: T + 70_000, delayMs: 70_000, reason: "exited" });
  assert.equal(heldBackOf(waiting, T + 70_000, policy), null);
});

test("nothing holds back a service that is restarting or gave up", () => {
  assert.equal(heldBackOf(state({ lastStartAt: T, health: { kind: "restarting", since: T, reason: "x" } }), T + 1, policy), null);
  assert.equal(heldBackOf(state({ lastStartAt: T, health: { kind: "gave-up", since: T, reason: "x" } }), T + 1, policy), null);
});
