import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDuration, parseSize } from "../core/duration.js";
import { DURATION_PATTERN, SIZE_PATTERN } from "./fields.js";

// The JSON Schema patterns are for editors; they must agree with the parsers that judge.
test("DURATION_PATTERN accepts exactly what parseDuration accepts", () => {
  const pattern = new RegExp(DURATION_PATTERN);
  for (const text of ["90s", "5m", "1h30m", "250ms", "1.5s", "2d", "1w", " 5m ", "", "5", "5 m", "m5", "5x", "5m-", "-5s", "1h 30m", "5M", "5 minutes"]) {
    assert.equal(pattern.test(text), parseDuration(text) !== undefined, JSON.stringify(text));
  }
});

test("SIZE_PATTERN accepts exactly what parseSize accepts", () => {
  const pattern = new RegExp(SIZE_PATTERN);
  for (const text of ["900MiB", "1GB", "4096", "512k", "12 MiB", "1.5g", "3tib", "2TB", "10b", "12 parsecs", "MiB", "", "5t", "5mi", "-1MiB", "10 MiBs"]) {
    assert.equal(pattern.test(text), parseSize(text) !== undefined, JSON.stringify(text));
  }
});
