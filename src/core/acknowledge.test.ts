import { test } from "node:test";
import assert from "node:assert/strict";
import { acknowledgeService, isAcknowledged } from "./acknowledge.js";
import { decide } from "./decide.js";
import type { Decision } from "./policy.js";
import { initialState, type ServiceState } from "./state.js";
import { H, M, observe, POLICY, T } from "../testing/policy-fixtures.js";

const BY = "telegram chat 42 (@ops)";
const failing = [observe("running", true, "active"), observe("log-fresh", false, "Log file is stale")];
const passing = [observe("running", true, "active"), observe("log-fresh", true, "Log file is fresh")];
const kinds = (decision: Decision) => decision.actions.map((action) => (action.type === "event" ? action.event.kind : action.type));
const gaveUp: ServiceState = { ...initialState(), health: { kind: "gave-up", since: T, reason: "restart limit" }, incidentSince: T - H };

test("an acknowledgement names the open incident, records who asked, and is not made twice", () => {
  const acked = acknowledgeService(gaveUp, T + 12 * M, "bot", BY);
  assert.deepEqual(acked.state.acknowledged, { incidentSince: T - H, at: T + 12 * M, by: BY });
  assert.deepEqual(kinds(acked), ["acknowledged"]);
  assert.equal(acked.verdict.why, 'Acknowledged the incident of "bot" (open for 1h12m, gave-up) at the request of telegram chat 42 (@ops): no reminders of it until it ends');
  assert.deepEqual(acked.actions[0]?.type === "event" ? acked.actions[0].event.data : null, { by: BY, incidentSince: T - H });
  assert.equal(isAcknowledged(acked.state), true);
  const again = acknowledgeService(acked.state, T + 20 * M, "bot", "root (cli)");
  assert.deepEqual([again.state, again.actions, again.verdict.why], [acked.state, [], 'The incident of "bot" is acknowledged already, by telegram chat 42 (@ops) 8m ago']);
});

test("a service without an open incident has nothing to acknowledge", () => {
  const none = acknowledgeService(initialState(), T, "bot", BY);
  assert.deepEqual([none.state, none.actions, none.verdict.why], [initialState(), [], '"bot" has no open incident to acknowledge']);
});

test("the acknowledgement ends with its incident, and an older one never covers a new incident", () => {
  const failingState: ServiceState = { ...initialState(), health: { kind: "failing", since: T, rounds: 1, reason: "log-fresh" }, incidentSince: T };
  const acked = acknowledgeService(failingState, T + M, "bot", BY).state;
  assert.equal(isAcknowledged(decide(acked, failing, T + 2 * M, POLICY, "bot").state), true, "a failing round keeps it");
  const recovered = decide(acked, passing, T + 3 * M, POLICY, "bot");
  assert.deepEqual(kinds(recovered), ["recovered"]);
  assert.equal(recovered.state.acknowledged, undefined, "the incident closed: the acknowledgement went with it");
  // A state that still carries an older incident's acknowledgement (written by another Lifeguard) does not count.
  assert.equal(isAcknowledged({ ...gaveUp, acknowledged: { incidentSince: T - 5 * H, at: T - 4 * H, by: BY } }), false);
});
