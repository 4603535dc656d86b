import { test } from "node:test";
import assert from "node:assert/strict";
import { decide } from "./decide.js";
import type { Observation } from "./outcome.js";
import type { Action, Decision, ServiceEvent } from "./policy.js";
import { initialState, type ServiceState } from "./state.js";
import { T, S, M, H, POLICY, observe } from "../testing/policy-fixtures.js";


const RUNNING = observe("running", true, "Service gemini-trader is active");
const QUIET = observe("log-activity", false, "No recent activity: 0 lines matching VIX|Position|Update in last 100");
const STALE = observe("log-fresh", false, "Log file is stale (6m old)");
const MEMORY = observe("memory", false, "Memory 950MiB is over 900MiB", true);
const PASSING = [RUNNING, observe("log-activity", true, "23 recent entries")];
const FAILING = [RUNNING, QUIET];

const state = (over: Partial<ServiceState>): ServiceState => ({ ...initialState(), ...over });
const events = (decision: Decision): ServiceEvent[] => decision.actions.flatMap((a) => (a.type === "event" ? [a.event] : []));
const kinds = (decision: Decision): string[] => events(decision).map((e) => e.kind);
const restartOf = (decision: Decision): Extract<Action, { type: "restart" }> | undefined =>
  decision.actions.find((a): a is Extract<Action, { type: "restart" }> => a.type === "restart");

/** Runs rounds every `everyMs` from `from`, feeding each decision's state to the next. */
function rounds(start: ServiceState, observations: Observation[], from: number, count: number, everyMs = 30 * S, policy = POLICY) {
  let current = start;
  const all: Decision[] = [];
  for (let i = 0; i < count; i += 1) {
    const decision = decide(current, observations, from + i * everyMs, policy, "trader");
    all.push(decision);
    current = decision.state;
  }
  return { state: current, decisions: all, events: all.flatMap(events) };
}

test("decide returns the very same state for a steady healthy round, so the store writes nothing", () => {
  const steady = state({ healthySince: T - H });
  const decision = decide(steady, PASSING, T, POLICY, "trader");
  assert.deepEqual(decision.state, steady);
  assert.deepEqual(decision.actions, []);
  assert.deepEqual(decision.verdict, { status: "healthy", why: "All 2 checks pass" });
});

test("decide counts consecutive failing rounds and restarts at the threshold", () => {
  const first = decide(initialState(), FAILING, T, POLICY, "trader");
  assert.deepEqual(first.state.health, { kind: "failing", since: T, rounds: 1, reason: QUIET.summary });
  assert.deepEqual(events(first), [{
    kind: "failing", at: T, message: `"trader" is failing: ${QUIET.summary}`,
    data: { rounds: 1, threshold: 2, checks: ["log-activity"] },
  }]);
  assert.equal(first.state.incidentSince, null, "no incident below the threshold");

  const second = decide(first.state, [RUNNING, STALE, QUIET], T + 30 * S, POLICY, "trader");
  const reason = `${STALE.summary}; ${QUIET.summary}`;
  assert.deepEqual(second.state.health, { kind: "restarting", since: T + 30 * S, reason: "log-fresh, log-activity" });
  assert.deepEqual(second.state.restarts, [T + 30 * S]);
  assert.equal(second.state.backoffStep, 1);
  assert.equal(second.state.incidentSince, T, "the incident dates from its first failing round");
  assert.deepEqual(restartOf(second), { type: "restart", reason, attempt: 1, max: 3, evidence: [STALE, QUIET] });
  assert.deepEqual(events(second).map((e) => e.message), [`Restarting "trader" (1 of 3 in the last 1h): ${reason}`]);
  assert.equal(restartOf(second) === second.actions.at(-1), true, "the restart comes after the events it explains");
});

test("decide gives up with one event naming the limit, that a human is needed, and how to reset", () => {
  const full = state({ health: { kind: "failing", since: T - M, rounds: 1, reason: QUIET.summary }, restarts: [T - 50 * M, T - 30 * M, T - 10 * M], backoffStep: 3 });
  const decision = decide(full, FAILING, T, { ...POLICY, rearmAfterMs: 6 * H }, "trader");
  const message = 'Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3)';
  assert.deepEqual(decision.state.health, { kind: "gave-up", since: T, reason: message });
  assert.deepEqual(events(decision), [{
    kind: "gave-up", at: T, message,
    data: {
      restarts: 3, max: 3, perMs: H, failing: QUIET.summary, manualIntervention: true, resetCommand: "lifeguard reset trader",
      hint: 'Manual intervention needed: fix the cause, then run "lifeguard reset trader" to re-arm automatic restarts, or wait for the automatic re-arm after 6h',
      rearmAt: T + 6 * H,
    },
  }]);
  assert.equal(restartOf(decision), undefined);
});

test("decide stays gave-up over many rounds without another event or restart", () => {
  const gaveUp = state({ health: { kind: "gave-up", since: T, reason: "limit" }, restarts: [T - 3, T - 2, T - 1] });
  const later = rounds(gaveUp, FAILING, T + M, 500, M);
  assert.deepEqual(later.events, []);
  assert.equal(later.decisions.some((d) => restartOf(d) !== undefined), false);
  assert.equal(later.state.health.kind, "gave-up");
  const passing = rounds(later.state, PASSING, T + H, 50, M);
  assert.deepEqual(passing.events, [], "a gave-up service stays gave-up while it passes: only a reset re-arms it");
});

test("decide announces an alert-only problem once, never restarts for it, and says when it clears", () => {
  const run = rounds(initialState(), [...PASSING, MEMORY], T, 100, 30 * S);
  assert.deepEqual(run.events, [{
    kind: "alert-only", at: T, message: `"trader" check "memory" is failing (alert only, no restart): ${MEMORY.summary}`,
    data: { check: "memory", summary: MEMORY.summary, evidence: MEMORY.evidence },
  }]);
  assert.equal(run.decisions.every((d) => d.verdict.status === "alert-only" && restartOf(d) === undefined), true);
  assert.deepEqual(run.state.alertOnlySince, { memory: T });
  assert.equal(run.state.health.kind, "healthy");

  const cleared = decide(run.state, [...PASSING, observe("memory", true, "Memory 400MiB", true)], T + 50 * M, POLICY, "trader");
  assert.deepEqual(events(cleared), [{
    kind: "recovered", at: T + 50 * M, message: '"trader" check "memory" passes again after 50m',
    data: { check: "memory", alertOnly: true, since: T, durationMs: 50 * M },
  }]);
  assert.equal("alertOnlySince" in cleared.state, false, "left out when none fail, so states stay comparable");
});

test("decide forgets an alert-only problem quietly when its check no longer reports", () => {
  const decision = decide(state({ alertOnlySince: { memory: T - M } }), PASSING, T, POLICY, "trader");
  assert.deepEqual(decision.actions, []);
  assert.equal("alertOnlySince" in decision.state, false);
});

test("decide does not count failures within the startup grace, and counts from one after it", () => {
  const started = state({ lastStartAt: T, incidentSince: T - 2 * M, healthySince: null });
  const inGrace = rounds(started, FAILING, T + 10 * S, 2, 25 * S);
  assert.deepEqual(inGrace.events, []);
  assert.deepEqual(inGrace.decisions.map((d) => d.verdict.status), ["grace", "grace"]);
  assert.equal(inGrace.decisions[1]?.verdict.why,
    `Not counting 1 failing check within the startup grace (35s of 1m since the last start): ${QUIET.summary}`);
  assert.deepEqual(inGrace.state.health, { kind: "healthy" });

  const after = decide(inGrace.state, FAILING, T + 60 * S, POLICY, "trader");
  assert.deepEqual(after.state.health, { kind: "failing", since: T + 60 * S, rounds: 1, reason: QUIET.summary });
  assert.deepEqual(kinds(after), ["failing"]);
});

test("decide closes an incident with a message naming how long it lasted", () => {
  const open = state({ health: { kind: "failing", since: T - 4 * M, rounds: 3, reason: QUIET.summary, backoffUntil: T + S }, incidentSince: T - 4 * M, restarts: [T - 9 * S], backoffStep: 1 });
  const decision = decide(open, PASSING, T, POLICY, "trader");
  assert.deepEqual(events(decision), [{
    kind: "recovered", at: T, message: '"trader" is healthy again after 4m', data: { incidentSince: T - 4 * M, durationMs: 4 * M },
  }]);
  assert.deepEqual(decision.state, { ...open, health: { kind: "healthy" }, incidentSince: null, healthySince: T });
});

test("decide opens no incident for a blip below the threshold", () => {
  const blip = rounds(initialState(), FAILING, T, 1);
  const back = decide(blip.state, PASSING, T + 30 * S, POLICY, "trader");
  assert.deepEqual(kinds(back), []);
  assert.equal(back.state.incidentSince, null);
});

test("decide announces the backoff wait when it begins, not every round of it", () => {
  const policy = { ...POLICY, backoff: { initialMs: 5 * M, maxMs: 5 * M, resetAfterMs: 10 * M, minUptimeMs: null } };
  const justRestarted = state({ health: { kind: "failing", since: T - M, rounds: 2, reason: "verify failed" }, restarts: [T - M], backoffStep: 1, incidentSince: T - 2 * M });
  const waiting = rounds(justRestarted, FAILING, T, 8, 30 * S, policy);
  assert.deepEqual(waiting.events, [{
    kind: "backoff", at: T,
    message: 'Delaying the restart of "trader" by 4m: the backoff after 1 restart in a row without a stable period is 5m',
    data: { step: 1, delayMs: 5 * M, remainingMs: 4 * M, until: T + 4 * M },
  }]);
  assert.deepEqual(waiting.decisions.map((d) => d.verdict.status), Array(8).fill("backoff"));
  assert.equal(waiting.decisions[0]?.verdict.why,
    `3 failing rounds (threshold 2): ${QUIET.summary}; restart delayed 4m more by the backoff (5m after 1 restart in a row)`);
  const due = decide(waiting.state, FAILING, T + 4 * M, policy, "trader");
  assert.deepEqual(kinds(due), ["restart"]);
  assert.equal(restartOf(due)?.attempt, 2);
});

test("decide tracks healthySince through alert-only failures but not through counted ones", () => {
  const a = decide(initialState(), [...PASSING, MEMORY], T, POLICY, "trader");
  assert.equal(a.state.healthySince, T);
  const b = decide(a.state, [...PASSING, MEMORY], T + M, POLICY, "trader");
  assert.equal(b.state.healthySince, T);
  const c = decide(b.state, FAILING, T + 2 * M, POLICY, "trader");
  assert.equal(c.state.healthySince, null);
});

test("decide with no observations changes nothing: no evidence is not a passing round", () => {
  const open = state({ health: { kind: "failing", since: T - M, rounds: 1, reason: QUIET.summary } });
  const decision = decide(open, [], T, POLICY, "trader");
  assert.equal(decision.state, open);
  assert.deepEqual(decision.actions, []);
  assert.deepEqual(decision.verdict, { status: "failing", why: 'No checks ran for "trader": nothing to judge, state unchanged' });
});

test("decide settles a restart a dead Lifeguard left unfinished as failed, with the outcome unknown", () => {
  const interrupted = state({ health: { kind: "restarting", since: T - M, reason: "log-activity" }, restarts: [T - M], backoffStep: 1, incidentSince: T - 2 * M });
  const decision = decide(interrupted, PASSING, T, POLICY, "trader");
  assert.deepEqual(events(decision).map((e) => e.message), [
    'Cannot tell whether "trader" restarted as Lifeguard stopped before the restart finished (attempt 1 of 3 in the last 1h)',
    '"trader" is healthy again after 2m',
  ]);
  assert.deepEqual(decision.state.restarts, [T - M], "the attempt still counts against the limit");
});

test("verdicts read as sentences for check --dry-run", () => {
  const why = (from: ServiceState, round: Observation[], now = T, policy = POLICY) => decide(from, round, now, policy, "trader").verdict.why;
  const failing = state({ health: { kind: "failing", since: T - 30 * S, rounds: 1, reason: QUIET.summary } });
  assert.equal(why(initialState(), FAILING), `1 of 2 failing rounds: ${QUIET.summary}`);
  assert.equal(why(failing, FAILING), `2 of 2 failing rounds: ${QUIET.summary}; restart 1 of 3 in the last 1h`);
  assert.equal(why(failing, [...FAILING, MEMORY]), `2 of 2 failing rounds: ${QUIET.summary}; restart 1 of 3 in the last 1h; alert only: ${MEMORY.summary}`);
  assert.equal(why(state({ ...failing, restarts: [T - 3 * M, T - 2 * M, T - M] }), FAILING),
    `2 of 2 failing rounds: ${QUIET.summary}; Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3)`);
  assert.equal(why(initialState(), [RUNNING]), "The check passes");
  assert.equal(why(initialState(), [...PASSING, MEMORY]), `1 alert-only check failing, which never restarts: ${MEMORY.summary}`);
  const gaveUp = state({ health: { kind: "gave-up", since: T - 5 * M, reason: 'Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3)' } });
  assert.equal(why(gaveUp, FAILING),
    `Gave up on "trader" 5m ago: Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3); still failing: ${QUIET.summary}; run "lifeguard reset trader" once fixed`);
  assert.equal(why(gaveUp, PASSING, T, { ...POLICY, rearmAfterMs: H }),
    'Gave up on "trader" 5m ago: Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3); its checks pass now; run "lifeguard reset trader" once fixed; re-arms by itself in 55m');
});

test("decide errs toward doing less when the wall clock stepped back", () => {
  // A start stamped in the future keeps the grace running rather than ending it.
  assert.equal(decide(state({ lastStartAt: T + H }), FAILING, T, POLICY, "trader").verdict.status, "grace");
  // Restarts stamped in the future still count against the limit.
  const failing = state({ health: { kind: "failing", since: T - M, rounds: 1, reason: "x" }, restarts: [T + M, T + 2 * M, T + 3 * M] });
  assert.equal(decide(failing, FAILING, T, POLICY, "trader").state.health.kind, "gave-up");
  // A gave-up stamped in the future does not re-arm.
  const gaveUp = state({ health: { kind: "gave-up", since: T + H, reason: "limit" } });
  assert.equal(decide(gaveUp, FAILING, T, { ...POLICY, rearmAfterMs: M }, "trader").state.health.kind, "gave-up");
});

const DEAD: Observation = { ...observe("running", false, 'Service "trader" is not active: "failed"'), conclusive: true };

test("decide restarts a service that is not running in its first failing round, whatever the threshold", () => {
  const decision = decide(initialState(), [DEAD, STALE], T, POLICY, "trader");
  assert.equal(decision.verdict.status, "restart");
  assert.equal(decision.actions.filter((action) => action.type === "restart").length, 1);
});

test("decide counts a conclusive failure within the startup grace, but not the stale log beside it", () => {
  const restarted = { ...initialState(), lastStartAt: T - 10 * S };
  const inGrace = decide(restarted, [RUNNING, STALE], T, POLICY, "trader");
  assert.equal(inGrace.verdict.status, "grace");
  const crashed = decide(restarted, [DEAD, STALE], T, POLICY, "trader");
  assert.equal(crashed.verdict.status, "restart");
  const restart = crashed.actions.find((action) => action.type === "restart");
  assert.deepEqual(restart?.type === "restart" ? restart.evidence.map((o) => o.check) : [], ["running"]);
});

test("decide answers a crash after min-uptime at once, and a crash before it after the backoff", () => {
  const slow = { ...POLICY, backoff: { ...POLICY.backoff, initialMs: M } };
  const policy = { ...slow, backoff: { ...slow.backoff, minUptimeMs: 10 * S } };
  // Restarted 30s ago (one restart in a row so far), then crashed after running 30s: stable.
  const ranLong = state({ lastStartAt: T - 30 * S, restarts: [T - 31 * S], backoffStep: 1 });
  const answered = decide(ranLong, [DEAD], T, policy, "trader");
  assert.equal(answered.verdict.status, "restart");
  assert.equal(answered.state.backoffStep, 1, "the stable run started the count over");
  // Restarted 3s ago, crashed again: a crash loop waits for the backoff.
  const ranShort = state({ lastStartAt: T - 3 * S, restarts: [T - 4 * S], backoffStep: 1 });
  const delayed = decide(ranShort, [DEAD], T, policy, "trader");
  assert.equal(delayed.verdict.status, "backoff");
  assert.equal(delayed.state.backoffStep, 1);
  // Without min-uptime (a systemd unit) only healthy rounds over reset-after reset the backoff.
  assert.equal(decide(ranLong, [DEAD], T, slow, "trader").verdict.status, "backoff");
});
