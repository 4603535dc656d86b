import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay } from "./backoff.js";

const settings = { initialMs: 10_000, maxMs: 300_000 };

test("backoffDelay does not delay the first restart after a stable period", () => {
  assert.equal(backoffDelay(0, settings), 0);
});

test("backoffDelay doubles from initial for restarts in a row", () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((step) => backoffDelay(step, settings)), [10_000, 20_000, 40_000, 80_000, 160_000]);
});

test("backoffDelay is capped at max", () => {
  assert.equal(backoffDelay(6, settings), 300_000);
  assert.equal(backoffDelay(1_000, settings), 300_000);
  assert.equal(backoffDelay(1, { initialMs: 10_000, maxMs: 5_000 }), 5_000);
});

test("backoffDelay treats a step below one or not a number as none", () => {
  assert.equal(backoffDelay(-1, settings), 0);
  assert.equal(backoffDelay(Number.NaN, settings), 0);
});
