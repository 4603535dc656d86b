import { test } from "node:test";
import assert from "node:assert/strict";
import { isRestartAllowed, recordRestart, restartsInWindow } from "./restart-limit.js";

const HOUR = 3_600_000;
const T = 1_732_998_000_000;

test("restartsInWindow keeps restarts in (now - per, now]", () => {
  const restarts = [T - HOUR, T - HOUR + 1, T - 1, T];
  assert.deepEqual(restartsInWindow(restarts, T, HOUR), [T - HOUR + 1, T - 1, T]);
});

test("restartsInWindow still counts a restart stamped after now (the wall clock stepped back)", () => {
  assert.deepEqual(restartsInWindow([T + 5_000], T, HOUR), [T + 5_000]);
});

test("isRestartAllowed allows max restarts in any window, not one more", () => {
  const limit = { max: 3, perMs: HOUR };
  assert.equal(isRestartAllowed([T - 20, T - 10], T, limit), true);
  assert.equal(isRestartAllowed([T - 30, T - 20, T - 10], T, limit), false);
  assert.equal(isRestartAllowed([T - HOUR, T - 20, T - 10], T, limit), true);
  assert.equal(isRestartAllowed([], T, { max: 0, perMs: HOUR }), false);
});

test("recordRestart prunes restarts outside the window and appends now last", () => {
  assert.deepEqual(recordRestart([T - 2 * HOUR, T - HOUR, T - 10], T, HOUR), [T - 10, T]);
  assert.deepEqual(recordRestart([], T, HOUR), [T]);
});
