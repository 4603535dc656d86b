import { test } from "node:test";
import assert from "node:assert/strict";
import { endPauseIfDue, pauseService, resumeService, startService, stopService } from "./control.js";
import { decide } from "./decide.js";
import { nextPolicyDeadline } from "./policy-deadline.js";
import type { Decision } from "./policy.js";
import { initialState, type ServiceState } from "./state.js";
import { H, M, observe, POLICY, S, T } from "../testing/policy-fixtures.js";

const BY = "root (cli)";
const failing = [observe("running", true, "active"), observe("log-fresh", false, "Log file is stale")];
const passing = [observe("running", true, "active"), observe("log-fresh", true, "Log file is fresh")];
const notRunning = [{ ...observe("running", false, 'Service "bot" is "failed"'), conclusive: true }];
const kinds = (decision: Decision) => decision.actions.map((action) => (action.type === "event" ? action.event.kind : action.type));

/** Two failing rounds a minute apart, from `state`: what reaching the threshold does. */
function twoFailingRounds(state: ServiceState, from = T): Decision {
  const first = decide(state, failing, from, POLICY, "bot");
  return decide(first.state, failing, from + M, POLICY, "bot");
}

test("a stopped service is neither judged, restarted nor alerted on, however its checks fail, until it is started", () => {
  const stopped = stopService(initialState(), T, "bot", BY);
  assert.deepEqual(stopped.state.control, { kind: "stopped", since: T, by: BY });
  assert.deepEqual(kinds(stopped), ["stopped"]);
  assert.equal(stopped.verdict.status, "stopped");
  for (const observations of [failing, notRunning, passing]) {
    const round = decide(stopped.state, observations, T + 5 * M, POLICY, "bot");
    assert.deepEqual(round.actions, []);
    assert.deepEqual(round.state, stopped.state);
    assert.equal(round.verdict.status, "stopped");
    assert.equal(round.verdict.why, '"bot" is stopped, by root (cli) 5m ago: not judged until "lifeguard start bot"');
  }
  // Stopping it again changes nothing and says so.
  const again = stopService(stopped.state, T + M, "bot", "jakub (http)");
  assert.deepEqual([again.state, again.actions, again.verdict.why], [stopped.state, [], '"bot" is stopped already (by root (cli))']);
});

test("a start ends the stop, and the startup grace runs from it", () => {
  const started = startService(stopService(initialState(), T, "bot", BY).state, T + H, "bot", BY);
  assert.equal(started.state.control, undefined);
  assert.equal(started.state.lastStartAt, T + H);
  assert.deepEqual(kinds(started), ["started"]);
  assert.equal(decide(started.state, failing, T + H + 10 * S, POLICY, "bot").verdict.status, "grace");
});

test("a paused service's failures are counted and shown, but nothing is restarted, no incident opens and no restart is spent", () => {
  const paused = pauseService(initialState(), T, "bot", BY, null, "maintenance").state;
  const reached = twoFailingRounds(paused, T + M);
  assert.equal(reached.verdict.status, "paused");
  assert.equal(reached.verdict.why, '2 of 2 failing rounds: Log file is stale; not restarting "bot" as root (cli) paused it until "lifeguard resume bot" (maintenance)');
  assert.deepEqual(kinds(reached), []);
  assert.deepEqual([reached.state.health.kind, reached.state.incidentSince, reached.state.restarts], ["failing", null, []]);
  // A process that is not running is not restarted either while paused.
  assert.equal(decide(paused, notRunning, T + M, POLICY, "bot").verdict.status, "paused");
});

test("a pause with a time ends by itself then, with an event that alerts, and the same round judges as usual", () => {
  const paused = twoFailingRounds(pauseService(initialState(), T, "bot", BY, T + H, null).state, T + M).state;
  assert.equal(endPauseIfDue(paused, T + H - 1, "bot"), null);
  const ended = decide(paused, failing, T + H, POLICY, "bot");
  assert.deepEqual(kinds(ended), ["pause-ended", "restart", "restart"]);
  assert.equal(ended.state.control, undefined);
  assert.equal(ended.state.health.kind, "restarting");
  const event = ended.actions[0];
  assert.ok(event?.type === "event");
  assert.equal(event.event.message, 'The pause of "bot" by root (cli) ended after 1h: it is judged and restarted again');
});

test("resume ends a pause at once; resuming what is not paused changes nothing", () => {
  const paused = pauseService(initialState(), T, "bot", BY, T + H, "deploy");
  assert.equal(paused.verdict.why, 'Paused "bot" for 1h at the request of root (cli) (deploy): its checks go on, nothing is restarted');
  const resumed = resumeService(paused.state, T + 5 * M, "bot", "jakub (telegram)");
  assert.equal(resumed.state.control, undefined);
  assert.equal(resumed.verdict.why, 'Resumed "bot" at the request of jakub (telegram), paused since 5m: it is judged again');
  assert.deepEqual(kinds(resumeService(initialState(), T, "bot", BY)), []);
});

test("the end of a pause is a deadline: the daemon looks again when it is up", () => {
  const paused = pauseService(initialState(), T, "bot", BY, T + H, null).state;
  assert.equal(nextPolicyDeadline(paused, T + M, { ...POLICY, startupGraceMs: 0 }), T + H);
  assert.equal(nextPolicyDeadline(pauseService(initialState(), T, "bot", BY, null, null).state, T + M, { ...POLICY, startupGraceMs: 0 }), null);
});
