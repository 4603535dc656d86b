import { test } from "node:test";
import assert from "node:assert/strict";
import { normaliseWindows } from "../config/schedule.js";
import { M, observe, POLICY } from "../testing/policy-fixtures.js";
import { decide } from "./decide.js";
import { heldBackOf } from "./held-back.js";
import { nextPolicyDeadline } from "./policy-deadline.js";
import type { PolicySettings } from "./policy.js";
import { initialState, type ServiceState } from "./state.js";

const at = (iso: string): number => Date.parse(iso);
const windows = (cron: string, timezone = "Europe/Berlin") => normaliseWindows([{ cron, timezone, holidays: [] }]);
/** Berlin's broker maintenance, 02:00 to 02:59, and market hours 09:00 to 16:59 on weekdays. */
const QUIET: PolicySettings = { ...POLICY, schedule: { active: [], quiet: windows("* 2 * * *") } };
const MARKET: PolicySettings = { ...POLICY, schedule: { active: windows("* 9-16 * * 1-5"), quiet: [] } };
const stale = observe("log-fresh", false, "Log file is stale (6m old)");
const failingFor = (rounds: number, since: number): ServiceState => ({ ...initialState(), health: { kind: "failing", since, rounds, reason: stale.summary } });

// 2026-12-08 is a Tuesday; Berlin is UTC+1 in December.
const NIGHT = at("2026-12-08T01:30:00Z"); // 02:30 in Berlin: inside the quiet window
const DAY = at("2026-12-08T10:00:00Z"); // 11:00 in Berlin: market open for two hours already

test("inside a quiet window a confirmed failure is recorded and announced once, and the restart is held back until the window ends", () => {
  const first = decide(failingFor(1, NIGHT - M), [stale], NIGHT, QUIET, "bot");
  assert.equal(first.actions.some((action) => action.type === "restart"), false);
  assert.deepEqual(first.actions.map((action) => action.type === "event" ? action.event.kind : action.type), ["quiet-hold"]);
  const [event] = first.actions;
  assert.equal(event?.type === "event" ? event.event.message : "", 'Not restarting "bot" as its quiet window lasts until 2026-12-08 03:00 Europe/Berlin (in 30m): Log file is stale (6m old)');
  assert.equal(first.state.incidentSince, NIGHT - M);
  assert.deepEqual(first.verdict.heldBack, { by: "quiet", until: at("2026-12-08T02:00:00Z"), why: "its quiet window lasts until 2026-12-08 03:00 Europe/Berlin (in 30m)", reason: stale.summary });
  // The next round inside the window says nothing new.
  const second = decide(first.state, [stale], NIGHT + M, QUIET, "bot");
  assert.deepEqual(second.actions, []);
  assert.equal(second.state.restarts.length, 0);
  // `status` reads the same hold from the stored state, and the daemon wakes when it ends.
  assert.equal(heldBackOf(second.state, NIGHT + M, QUIET)?.by, "quiet");
  assert.equal(nextPolicyDeadline(second.state, NIGHT + M, QUIET), at("2026-12-08T02:00:00Z"));
});

test("when the quiet window ends, a service still failing is restarted at once", () => {
  const held = decide(failingFor(1, NIGHT - M), [stale], NIGHT, QUIET, "bot").state;
  const after = decide(held, [stale], at("2026-12-08T02:00:00Z"), QUIET, "bot");
  assert.equal(after.verdict.status, "restart");
  assert.equal(after.state.health.kind, "restarting");
});

test("below the threshold a quiet window changes nothing: the blip is only counted", () => {
  const round = decide(initialState(), [stale], NIGHT, QUIET, "bot");
  assert.equal(round.verdict.heldBack?.by, "threshold");
});

test("a quiet window that starts during a restart: the restart settles, and the next one is held back", () => {
  // Lifeguard died while restarting at 01:59; the next round comes at 02:01, inside the window.
  const restarting: ServiceState = { ...initialState(), health: { kind: "restarting", since: at("2026-12-08T00:59:00Z"), reason: "log-fresh" }, restarts: [at("2026-12-08T00:59:00Z")], backoffStep: 1, incidentSince: at("2026-12-08T00:58:00Z") };
  const round = decide(restarting, [stale], at("2026-12-08T01:01:00Z"), QUIET, "bot");
  const kinds = round.actions.map((action) => action.type === "event" ? action.event.kind : action.type);
  assert.equal(kinds.includes("restart"), false);
  assert.equal(kinds[0], "restart-failed");
  assert.equal(round.state.restarts.length, 1);
});

test("outside its active window the service is not judged: no restart whatever the checks say, and the state is kept", () => {
  const evening = at("2026-12-08T18:00:00Z");
  const state = failingFor(5, evening - 10 * M);
  const round = decide(state, [stale, observe("running", false, "not running")], evening, MARKET, "bot");
  assert.deepEqual(round.actions, []);
  assert.equal(round.state, state);
  assert.equal(round.verdict.why, '"bot" is not judged: outside its active window until 2026-12-09 09:00 Europe/Berlin (in 14h)');
  assert.equal(nextPolicyDeadline(state, evening, MARKET), at("2026-12-09T08:00:00Z"));
});

test("the opening of an active window begins a startup grace: a log quiet all night is not stale the minute the day begins", () => {
  const opening = at("2026-12-09T08:00:30Z");
  const round = decide(initialState(), [stale], opening, MARKET, "bot");
  assert.deepEqual(round.actions, []);
  assert.equal(round.verdict.why, '"bot" is not judged: its active window opened 30s ago: in its startup grace until 2026-12-09 09:01 Europe/Berlin (in 30s)');
  assert.equal(nextPolicyDeadline(initialState(), opening, MARKET), at("2026-12-09T08:01:00Z"));
});

test("inside its active window the service is judged as always", () => {
  const round = decide(failingFor(1, DAY - M), [stale], DAY, MARKET, "bot");
  assert.equal(round.verdict.status, "restart");
  assert.equal(nextPolicyDeadline(initialState(), DAY, MARKET), at("2026-12-08T16:00:00Z"));
});

test("a check outside its own window counts neither way: the others judge the service", () => {
  const unjudged = { ...observe("log-fresh", true, "Not judged: outside its active window until 2026-12-09 09:00 Europe/Berlin (in 14h)"), unjudged: true };
  const round = decide(failingFor(1, DAY - M), [observe("running", true, "running"), unjudged], DAY, POLICY, "bot");
  assert.equal(round.verdict.status, "healthy");
  assert.equal(round.verdict.why, "The check passes");
  const alone = decide(initialState(), [unjudged], DAY, POLICY, "bot");
  assert.equal(alone.verdict.why, `Nothing to judge "bot" by: ${unjudged.summary}`);
});

test("a check's own quiet window holds the restart back only when every counted failure is inside one", () => {
  const until = at("2026-12-08T02:00:00Z");
  const hushed = { ...stale, quiet: { until, why: 'check "log-fresh": its quiet window lasts until 2026-12-08 03:00 Europe/Berlin (in 30m)' } };
  const held = decide(failingFor(1, NIGHT - M), [hushed], NIGHT, POLICY, "bot");
  assert.equal(held.verdict.status, "failing");
  assert.deepEqual(held.verdict.heldBack, { by: "quiet", until, why: hushed.quiet.why, reason: stale.summary });
  assert.deepEqual(held.actions.map((action) => action.type === "event" ? action.event.kind : action.type), ["quiet-hold"]);
  // `status` reads the hold from the stored state: the check's window is none of the service's settings.
  assert.deepEqual(heldBackOf(held.state, NIGHT + M, POLICY), { by: "quiet", until, why: hushed.quiet.why, reason: stale.summary });
  assert.equal(heldBackOf(held.state, until + M, POLICY), null, "once the window is over, the hold it recorded is not shown: the restart is due");
  // Another check fails too, outside any quiet window: restarted.
  const both = decide(failingFor(1, NIGHT - M), [hushed, observe("http", false, "HTTP 503")], NIGHT, POLICY, "bot");
  assert.equal(both.verdict.status, "restart");
});
