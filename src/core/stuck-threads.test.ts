import { test } from "node:test";
import assert from "node:assert/strict";
import { longestStuck, trackStuck } from "./stuck-threads.js";

test("a thread in D at consecutive looks is in D since the first of them", () => {
  let since = trackStuck(new Map(), ["42:100"], 1000);
  since = trackStuck(since, ["42:100", "43:100"], 4000);
  since = trackStuck(since, ["42:100", "43:100"], 7000);
  assert.deepEqual([...since], [["42:100", 1000], ["43:100", 4000]]);
  assert.deepEqual(longestStuck(since, 7000), { key: "42:100", forMs: 6000 });
});

test("a thread seen out of D starts again from zero", () => {
  let since = trackStuck(new Map(), ["42:100"], 1000);
  since = trackStuck(since, [], 4000);
  since = trackStuck(since, ["42:100"], 7000);
  assert.deepEqual(longestStuck(since, 7000), { key: "42:100", forMs: 0 });
});

test("a new thread at a reused tid is another thread (another start time)", () => {
  let since = trackStuck(new Map(), ["42:100"], 1000);
  since = trackStuck(since, ["42:250"], 4000);
  assert.deepEqual(longestStuck(since, 4000), { key: "42:250", forMs: 0 });
});

test("no thread in D: none is stuck", () => {
  assert.equal(longestStuck(trackStuck(new Map([["42:100", 0]]), [], 5000), 5000), null);
});
