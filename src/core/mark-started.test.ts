import { test } from "node:test";
import assert from "node:assert/strict";
import { decide } from "./decide.js";
import { markStarted } from "./mark-started.js";
import { initialState } from "./state.js";
import { POLICY, S, T, observe } from "../testing/policy-fixtures.js";

test("markStarted opens the startup grace without counting a restart", () => {
  const started = markStarted(initialState(), T);
  assert.equal(started.lastStartAt, T);
  assert.deepEqual(started.restarts, []);
  const missingLog = observe("log-fresh", false, 'Log file "/x.log" does not exist');
  assert.equal(decide(started, [missingLog], T + 1 * S, POLICY, "bot").verdict.status, "grace");
});
