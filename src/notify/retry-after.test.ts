import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRetryAfter } from "./retry-after.js";

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
