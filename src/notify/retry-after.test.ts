import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRetryAfter, retryDelay, RETRY_AFTER_FLOOR_MS } from "./retry-after.js";

const NOW = Date.UTC(2026, 10, 28, 3, 0, 0);

test("parseRetryAfter reads delay-seconds", () => {
  assert.equal(parseRetryAfter("120", NOW), 120_000);
  assert.equal(parseRetryAfter(" 0 ", NOW), 0);
});

test("parseRetryAfter reads an HTTP date as the time left until it; a past date is now", () => {
  assert.equal(parseRetryAfter("Sat, 28 Nov 2026 03:01:30 GMT", NOW), 90_000);
  assert.equal(parseRetryAfter("Sat, 28 Nov 2026 02:00:00 GMT", NOW), 0);
});

test("parseRetryAfter ignores what it cannot read", () => {
  for (const value of [null, "", "soon", "1.5", "-3", "1e3"]) assert.equal(parseRetryAfter(value, NOW), undefined, String(value));
});

test("retryDelay takes the receiver's wait, floored at 1s and cut at the max; else the backoff", () => {
  const retry = { initialMs: 30_000, maxMs: 900_000 };
  assert.equal(retryDelay(1, 1000, retry), 1000);
  assert.equal(retryDelay(3, 1000, retry), 1000, "the receiver knows better than the doubling");
  assert.equal(retryDelay(1, 0, retry), RETRY_AFTER_FLOOR_MS);
  assert.equal(retryDelay(1, 3_600_000, retry), 900_000);
  assert.equal(retryDelay(1, undefined, retry), 30_000);
  assert.equal(retryDelay(2, undefined, retry), 60_000);
});
