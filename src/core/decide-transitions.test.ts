import { test } from "node:test";
import assert from "node:assert/strict";
import { decide } from "./decide.js";
import type { Observation } from "./outcome.js";
import type { EventKind, PolicySettings, Verdict } from "./policy.js";
import { initialState, type Health, type HealthKind, type ServiceState } from "./state.js";
import { T, S, M, H, POLICY, observe } from "../testing/policy-fixtures.js";

// The transition table of docs/policy.md, row by row: state × round → next state, events, verdict.


const QUIET = observe("log-activity", false, "No recent activity: 0 lines matching VIX|Position|Update in last 100");
const PASSING = [observe("running", true, "Service is active"), observe("log-activity", true, "23 recent entries")];
const FAILING = [observe("running", true, "Service is active"), QUIET];
const ALERT_ONLY = [...PASSING, observe("memory", false, "Memory 950MiB is over 900MiB", true)];
const NONE: Observation[] = [];
// The log cannot be read: the running check still judges, the log check only says why it cannot.
const UNREADABLE = { ...observe("log-activity", false, 'Cannot read log file "/home/bot/bot.log" as permission was denied'), unobservable: true, hint: "Let user \"lifeguard\" read it" };
const UNOBSERVED = [observe("running", true, "Service is active"), UNREADABLE];
const UNOBSERVED_CRASH = [{ ...observe("running", false, "Service is inactive"), conclusive: true }, UNREADABLE];
const ONLY_UNOBSERVED = [UNREADABLE];
const READABLE_AGAIN = PASSING;
const seen = { unobserved: { "log-activity": { since: T - 5 * M, reason: UNREADABLE.summary, hint: UNREADABLE.hint } } };

const state = (over: Partial<ServiceState>): ServiceState => ({ ...initialState(), ...over });
const failing = (rounds: number, extra: Partial<Extract<Health, { kind: "failing" }>> = {}): Health =>
  ({ kind: "failing", since: T - rounds * 30 * S, rounds, reason: QUIET.summary, ...extra });
const restarting: Health = { kind: "restarting", since: T - 60 * S, reason: "log-activity" };
const gaveUp = (since: number): Health => ({ kind: "gave-up", since, reason: "Cannot restart \"trader\" as the restart limit is reached: 3 restarts in the last 1h (max 3)" });
const FULL_WINDOW = [T - 30 * M, T - 20 * M, T - 10 * M];

interface Row {
  name: string;
  from: ServiceState;
  round: Observation[];
  policy?: Partial<PolicySettings>;
  to: HealthKind;
  events: EventKind[];
  verdict: Verdict["status"];
  restart?: boolean;
}

const ROWS: Row[] = [
  // healthy
  { name: "healthy + passing stays healthy", from: state({}), round: PASSING, to: "healthy", events: [], verdict: "healthy" },
  { name: "healthy + failing below the threshold starts failing", from: state({}), round: FAILING, to: "failing", events: ["failing"], verdict: "failing" },
  { name: "healthy + failing at threshold 1 restarts at once", from: state({}), round: FAILING, policy: { failureThreshold: 1 }, to: "restarting", events: ["failing", "restart"], verdict: "restart", restart: true },
  { name: "healthy + alert-only failing stays healthy", from: state({}), round: ALERT_ONLY, to: "healthy", events: ["alert-only"], verdict: "alert-only" },
  { name: "healthy + failing within the grace stays healthy", from: state({ lastStartAt: T - 10 * S }), round: FAILING, to: "healthy", events: [], verdict: "grace" },
  { name: "healthy + no observations changes nothing", from: state({}), round: NONE, to: "healthy", events: [], verdict: "healthy" },
  { name: "healthy after a restart + passing closes the incident", from: state({ lastStartAt: T - 2 * M, incidentSince: T - 5 * M }), round: PASSING, to: "healthy", events: ["recovered"], verdict: "healthy" },
  { name: "healthy + a check that cannot observe stays healthy and announces it", from: state({}), round: UNOBSERVED, to: "healthy", events: ["unobserved"], verdict: "unobserved" },
  { name: "healthy + still unobserved announces nothing again", from: state(seen), round: UNOBSERVED, to: "healthy", events: [], verdict: "unobserved" },
  { name: "healthy + only checks that cannot observe changes nothing but announces it", from: state({}), round: ONLY_UNOBSERVED, to: "healthy", events: ["unobserved"], verdict: "unobserved" },
  { name: "healthy + a crash while the log cannot be read restarts at once", from: state({}), round: UNOBSERVED_CRASH, to: "restarting", events: ["failing", "restart", "unobserved"], verdict: "restart", restart: true },
  { name: "healthy unobserved + readable and passing announces it observes again", from: state(seen), round: READABLE_AGAIN, to: "healthy", events: ["observed"], verdict: "healthy" },
  { name: "healthy unobserved + readable and failing counts the failure", from: state(seen), round: FAILING, to: "failing", events: ["failing", "observed"], verdict: "failing" },
  { name: "healthy after a restart + unobserved keeps the incident open", from: state({ lastStartAt: T - 2 * M, incidentSince: T - 5 * M }), round: UNOBSERVED, to: "healthy", events: ["unobserved"], verdict: "unobserved" },
  // failing
  { name: "failing + a check that cannot observe is not counted", from: state({ health: failing(1) }), round: UNOBSERVED, to: "healthy", events: ["unobserved"], verdict: "unobserved" },
  { name: "failing + only checks that cannot observe changes nothing", from: state({ health: failing(1) }), round: ONLY_UNOBSERVED, to: "failing", events: ["unobserved"], verdict: "failing" },
  { name: "failing + a crash while unobserved restarts", from: state({ health: failing(1), ...seen }), round: UNOBSERVED_CRASH, to: "restarting", events: ["restart"], verdict: "restart", restart: true },
  { name: "failing below the threshold + passing is a blip, no incident", from: state({ health: failing(1) }), round: PASSING, to: "healthy", events: [], verdict: "healthy" },
  { name: "failing + failing reaching the threshold restarts", from: state({ health: failing(1) }), round: FAILING, to: "restarting", events: ["restart"], verdict: "restart", restart: true },
  { name: "failing + failing with the limit reached gives up", from: state({ health: failing(1), restarts: FULL_WINDOW }), round: FAILING, to: "gave-up", events: ["gave-up"], verdict: "gave-up" },
  { name: "failing + failing with the backoff pending enters the wait", from: state({ health: failing(1), restarts: [T - 5 * S], backoffStep: 1 }), round: FAILING, to: "failing", events: ["backoff"], verdict: "backoff" },
  { name: "failing + alert-only failing recovers from the blip", from: state({ health: failing(1) }), round: ALERT_ONLY, to: "healthy", events: ["alert-only"], verdict: "alert-only" },
  { name: "failing + failing within the grace is not counted", from: state({ health: failing(1), lastStartAt: T - 10 * S }), round: FAILING, to: "failing", events: [], verdict: "grace" },
  { name: "failing after a failed restart + failing with the limit reached gives up", from: state({ health: failing(2), restarts: FULL_WINDOW, incidentSince: T - H }), round: FAILING, to: "gave-up", events: ["gave-up"], verdict: "gave-up" },
  { name: "failing + no observations changes nothing", from: state({ health: failing(1) }), round: NONE, to: "failing", events: [], verdict: "failing" },
  // failing, waiting for the backoff
  { name: "waiting + failing with the backoff pending waits quietly", from: state({ health: failing(2, { backoffUntil: T + 5 * S }), restarts: [T - 5 * S], backoffStep: 1, incidentSince: T - M }), round: FAILING, to: "failing", events: [], verdict: "backoff" },
  { name: "waiting + failing with the backoff over restarts", from: state({ health: failing(2, { backoffUntil: T }), restarts: [T - 10 * S], backoffStep: 1, incidentSince: T - M }), round: FAILING, to: "restarting", events: ["restart"], verdict: "restart", restart: true },
  { name: "waiting + passing recovers", from: state({ health: failing(2, { backoffUntil: T + 5 * S }), restarts: [T - 5 * S], backoffStep: 1, incidentSince: T - M }), round: PASSING, to: "healthy", events: ["recovered"], verdict: "healthy" },
  // restarting at the start of a round: the restart was interrupted
  { name: "restarting + passing settles the interrupted restart and recovers", from: state({ health: restarting, restarts: [T - 60 * S], backoffStep: 1, incidentSince: T - 2 * M }), round: PASSING, to: "healthy", events: ["restart-failed", "recovered"], verdict: "healthy" },
  { name: "restarting + failing settles the interrupted restart and restarts again", from: state({ health: restarting, restarts: [T - 60 * S], backoffStep: 1, incidentSince: T - 2 * M }), round: FAILING, to: "restarting", events: ["restart-failed", "restart"], verdict: "restart", restart: true },
  { name: "restarting + failing with the limit reached gives up", from: state({ health: restarting, restarts: [T - 50 * M, T - 40 * M, T - 60 * S], backoffStep: 3, incidentSince: T - 2 * M }), round: FAILING, to: "gave-up", events: ["restart-failed", "gave-up"], verdict: "gave-up" },
  { name: "restarting + alert-only failing settles the interrupted restart and recovers", from: state({ health: restarting, restarts: [T - 60 * S], backoffStep: 1, incidentSince: T - 2 * M }), round: ALERT_ONLY, to: "healthy", events: ["restart-failed", "recovered", "alert-only"], verdict: "alert-only" },
  { name: "restarting + unobserved settles the interrupted restart, counts nothing", from: state({ health: restarting, restarts: [T - 60 * S], backoffStep: 1, incidentSince: T - 2 * M }), round: UNOBSERVED, to: "healthy", events: ["restart-failed", "unobserved"], verdict: "unobserved" },
  { name: "restarting + no observations changes nothing", from: state({ health: restarting, restarts: [T - 60 * S] }), round: NONE, to: "restarting", events: [], verdict: "failing" },
  // gave-up
  { name: "gave-up + failing stays gave-up", from: state({ health: gaveUp(T - 10 * M), restarts: FULL_WINDOW }), round: FAILING, to: "gave-up", events: [], verdict: "gave-up" },
  { name: "gave-up + passing stays gave-up", from: state({ health: gaveUp(T - 10 * M), restarts: FULL_WINDOW }), round: PASSING, to: "gave-up", events: [], verdict: "gave-up" },
  { name: "gave-up + alert-only failing stays gave-up", from: state({ health: gaveUp(T - 10 * M) }), round: ALERT_ONLY, to: "gave-up", events: ["alert-only"], verdict: "gave-up" },
  { name: "gave-up + unobserved stays gave-up and announces it", from: state({ health: gaveUp(T - 10 * M) }), round: UNOBSERVED, to: "gave-up", events: ["unobserved"], verdict: "gave-up" },
  { name: "gave-up + no observations changes nothing", from: state({ health: gaveUp(T - 10 * M) }), round: NONE, to: "gave-up", events: [], verdict: "gave-up" },
  { name: "gave-up + failing before rearm-after stays gave-up", from: state({ health: gaveUp(T - 59 * M) }), round: FAILING, policy: { rearmAfterMs: H }, to: "gave-up", events: [], verdict: "gave-up" },
  { name: "gave-up + failing after rearm-after re-arms and counts again", from: state({ health: gaveUp(T - H), restarts: FULL_WINDOW, incidentSince: T - 2 * H }), round: FAILING, policy: { rearmAfterMs: H }, to: "failing", events: ["rearmed", "failing"], verdict: "failing" },
  { name: "gave-up + failing after rearm-after at threshold 1 restarts at once", from: state({ health: gaveUp(T - H), restarts: FULL_WINDOW, backoffStep: 3, incidentSince: T - 2 * H }), round: FAILING, policy: { rearmAfterMs: H, failureThreshold: 1 }, to: "restarting", events: ["rearmed", "failing", "restart"], verdict: "restart", restart: true },
  { name: "gave-up + passing after rearm-after re-arms and recovers", from: state({ health: gaveUp(T - H), restarts: FULL_WINDOW, incidentSince: T - 2 * H }), round: PASSING, policy: { rearmAfterMs: H }, to: "healthy", events: ["rearmed", "recovered"], verdict: "healthy" },
];

for (const row of ROWS) {
  test(`transition: ${row.name}`, () => {
    const decision = decide(row.from, row.round, T, { ...POLICY, ...row.policy }, "trader");
    assert.equal(decision.state.health.kind, row.to, "health");
    assert.deepEqual(decision.actions.flatMap((a) => (a.type === "event" ? [a.event.kind] : [])), row.events, "events");
    assert.equal(decision.verdict.status, row.verdict, "verdict");
    assert.equal(decision.actions.some((a) => a.type === "restart"), row.restart ?? false, "restart action");
  });
}

test("the transition table covers every health × every kind of round", () => {
  const kinds = ["healthy", "failing", "restarting", "gave-up"] as const;
  const rounds = { passing: PASSING, failing: FAILING, "alert-only": ALERT_ONLY, none: NONE, unobserved: UNOBSERVED };
  for (const kind of kinds) {
    for (const [label, round] of Object.entries(rounds)) {
      assert.ok(ROWS.some((row) => row.from.health.kind === kind && row.round === round), `${kind} × ${label}`);
    }
  }
});
