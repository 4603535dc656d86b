import { test } from "node:test";
import assert from "node:assert/strict";
import { mostUrgent, type Severity } from "./alert.js";
import type { AlertBody, EventContext } from "./alert-compose.js";
import { alertOfEvent, evidenceOf, lifecycleAlert, reminderAlert, testAlert } from "./alert-compose.js";
import { ALERTING_EVENTS } from "./alerting-events.js";
import { decide } from "./decide.js";
import type { Observation } from "./outcome.js";
import type { Decision, EventKind, PolicySettings, ServiceEvent } from "./policy.js";
import { resetService } from "./reset-service.js";
import { acknowledgeService } from "./acknowledge.js";
import { pauseService, resumeService, startService, stopService } from "./control.js";
import { settleStop } from "./control-settle.js";
import { settleRestart } from "./settle-restart.js";
import { initialState, type ServiceState } from "./state.js";
import { T, S, M, H, POLICY } from "../testing/policy-fixtures.js";
import { normaliseWindows } from "../config/schedule.js";

// Every event here is made by the real policy (decide, settleRestart, resetService), so the
// alerts are the ones a human would get for that story.

const HOST = "pi";
const RUNNING: Observation = { check: "running", ok: true, summary: 'Service "trader" is active', evidence: {}, durationMs: 1, timedOut: false, at: T, alertOnly: false };
const RECENT = ["[20:50] VIX 14.1", "[20:51] Position open", "[20:52] Update 1", "[20:53] Update 2", "[20:54] Update 3", "[20:55] Update 4"];
const QUIET: Observation = {
  check: "log-activity", ok: false, summary: "No recent activity: 0 lines matching VIX|Position|Update in last 100",
  evidence: { recent: RECENT }, durationMs: 1, timedOut: false, at: T, alertOnly: false,
};
const STALE: Observation = {
  check: "log-fresh", ok: false, summary: "Log file is stale (6m old, max 5m)", cause: "no write since 20:54",
  evidence: {}, durationMs: 1, timedOut: false, at: T, alertOnly: false,
};
const MEMORY: Observation = {
  check: "memory", ok: false, summary: "Memory 950MiB is over 900MiB", evidence: {}, durationMs: 1, timedOut: false, at: T, alertOnly: true,
};
const FIX = 'Let user "lifeguard" read the log file "/home/bot/bot.log": run "setfacl -m u:lifeguard:r /home/bot/bot.log"';
const UNREADABLE: Observation = {
  check: "log-fresh", ok: false, summary: 'Cannot read log file "/home/bot/bot.log" as permission was denied', cause: "EACCES: permission denied, stat '/home/bot/bot.log'",
  evidence: { path: "/home/bot/bot.log", code: "EACCES" }, durationMs: 1, timedOut: false, at: T, alertOnly: false, unobservable: true, hint: FIX,
};
/** The round's checks in config order: a passing one first, so the ordering shows. */
const FAILING_ROUND = [RUNNING, QUIET];
const PASSING_ROUND = [RUNNING, { ...QUIET, ok: true, summary: "Process appears responsive (6 recent entries)" }];

const eventsOf = (decision: Decision): ServiceEvent[] => decision.actions.flatMap((a) => (a.type === "event" ? [a.event] : []));

function eventOf(decision: Decision, kind: EventKind): ServiceEvent {
  const event = eventsOf(decision).find((candidate) => candidate.kind === kind);
  if (event === undefined) assert.fail(`expected a "${kind}" event, got ${eventsOf(decision).map((e) => e.kind).join(", ") || "none"}`);
  return event;
}

const contextOf = (state: ServiceState, observations: readonly Observation[], policy: PolicySettings = POLICY): EventContext =>
  ({ service: "trader", host: HOST, observations, state, policy });

function alertOf(event: ServiceEvent, context: EventContext): AlertBody {
  const alert = alertOfEvent(event, context);
  if (alert === null) assert.fail(`expected an alert for a "${event.kind}" event`);
  return alert;
}

/** Two failing rounds 30s apart from T: the second decides restart number 1. */
function decideRestart(start: ServiceState = initialState(), from = T, observations: Observation[] = FAILING_ROUND): Decision {
  const first = decide(start, observations, from, POLICY, "trader");
  return decide(first.state, observations, from + 30 * S, POLICY, "trader");
}

test("alertOfEvent makes a warning for a restart that succeeded, with the reason and the count against the limit", () => {
  const decided = decideRestart();
  const settled = settleRestart(decided.state, { ok: true, summary: 'Restarted "trader": it is active' }, T + 33 * S, POLICY, "trader");
  const alert = alertOf(eventOf(settled, "restarted"), contextOf(settled.state, FAILING_ROUND));
  assert.deepEqual(alert, {
    kind: "restarted",
    severity: "warning",
    service: "trader",
    host: HOST,
    at: T + 33 * S,
    title: 'Restarted "trader" on pi',
    message: '"trader" restarted (reason: log-activity), 1 of 3 in the last 1h',
    details: ["Reason: log-activity", "Restarts: 1 of 3 in the last 1h"],
    evidence: [
      {
        check: "log-activity", ok: false, summary: "No recent activity: 0 lines matching VIX|Position|Update in last 100",
        lines: ["[20:51] Position open", "[20:52] Update 1", "[20:53] Update 2", "[20:54] Update 3", "[20:55] Update 4"],
      },
      { check: "running", ok: true, summary: 'Service "trader" is active', lines: [] },
    ],
    incident: { id: `trader@${T}`, since: T },
  });
});

test("alertOfEvent says what the capture before the stop saw of a hang, in one detail line", () => {
  const decided = decideRestart();
  const forensics = "main thread in futex_wait_queue; socket to 127.0.0.1:4002 with 2.1KiB unsent";
  const settled = settleRestart(decided.state, { ok: true, summary: 'Restarted "trader": it is active', forensics }, T + 33 * S, POLICY, "trader");
  const alert = alertOf(eventOf(settled, "restarted"), contextOf(settled.state, FAILING_ROUND));
  assert.deepEqual(alert?.details, ["Reason: log-activity", `Before the stop: ${forensics}`, "Restarts: 1 of 3 in the last 1h"]);
});

test("alertOfEvent makes a critical alert for a failed restart, saying what failed", () => {
  const decided = decideRestart();
  const summary = 'Cannot restart "trader" as it did not start: exit status 1';
  const settled = settleRestart(decided.state, { ok: false, summary }, T + 33 * S, POLICY, "trader");
  const alert = alertOf(eventOf(settled, "restart-failed"), contextOf(settled.state, FAILING_ROUND));
  assert.equal(alert.severity, "critical");
  assert.equal(alert.title, 'Restart of "trader" failed on pi');
  assert.equal(alert.message, `${summary} (attempt 1 of 3 in the last 1h)`);
  assert.deepEqual(alert.details, ["Reason: log-activity", `Failed: ${summary}`, "Restarts: 1 of 3 in the last 1h"]);
  assert.deepEqual(alert.incident, { id: `trader@${T}`, since: T });
});

test("alertOfEvent makes the one manual-intervention alert when the limit is reached", () => {
  // Three restarts within the hour: the next confirmed problem gives up.
  const spent = { ...initialState(), restarts: [T - 40 * M, T - 30 * M, T - 20 * M], backoffStep: 0 };
  const gaveUp = decideRestart(spent, T, [RUNNING, STALE]);
  const alert = alertOf(eventOf(gaveUp, "gave-up"), contextOf(gaveUp.state, [RUNNING, STALE]));
  assert.equal(alert.severity, "critical");
  assert.equal(alert.title, 'Gave up on "trader" on pi: manual intervention needed');
  assert.equal(alert.message, 'Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3)');
  assert.deepEqual(alert.details, [
    "Reason: Log file is stale (6m old, max 5m)",
    "Restarts: 3 of 3 in the last 1h",
    'Manual intervention needed: fix the cause, then run "lifeguard reset trader" to re-arm automatic restarts',
  ]);
  // The cause is not in the summary, so it gets a line of its own.
  assert.deepEqual(alert.evidence, [
    { check: "log-fresh", ok: false, summary: "Log file is stale (6m old, max 5m)", lines: ["Cause: no write since 20:54"] },
    { check: "running", ok: true, summary: 'Service "trader" is active', lines: [] },
  ]);
  assert.deepEqual(alert.incident, { id: `trader@${T}`, since: T });
});

test("alertOfEvent's gave-up hint names the automatic re-arm when there is one", () => {
  const policy = { ...POLICY, rearmAfterMs: 6 * H };
  const spent = { ...initialState(), restarts: [T - 40 * M, T - 30 * M, T - 20 * M] };
  const first = decide(spent, FAILING_ROUND, T, policy, "trader");
  const gaveUp = decide(first.state, FAILING_ROUND, T + 30 * S, policy, "trader");
  assert.equal(
    alertOf(eventOf(gaveUp, "gave-up"), contextOf(gaveUp.state, FAILING_ROUND, policy)).details.at(-1),
    'Manual intervention needed: fix the cause, then run "lifeguard reset trader" to re-arm automatic restarts, or wait for the automatic re-arm after 6h',
  );
});

test("alertOfEvent closes the incident on recovery with how long the service was down", () => {
  const decided = decideRestart();
  const settled = settleRestart(decided.state, { ok: true, summary: "ok" }, T + 33 * S, POLICY, "trader");
  // Past the startup grace, the checks pass: the incident that began at T closes.
  const recovered = decide(settled.state, PASSING_ROUND, T + 2 * M, POLICY, "trader");
  const alert = alertOf(eventOf(recovered, "recovered"), contextOf(recovered.state, PASSING_ROUND));
  assert.deepEqual(alert, {
    kind: "recovered",
    severity: "resolved",
    service: "trader",
    host: HOST,
    at: T + 2 * M,
    title: '"trader" recovered on pi',
    message: '"trader" is healthy again after 2m',
    details: ["Down for: 2m"],
    evidence: [],
    incident: { id: `trader@${T}`, since: T, durationMs: 2 * M },
  });
});

test("alertOfEvent gives an alert-only check its own incident and only its own evidence", () => {
  const round = [RUNNING, QUIET, MEMORY];
  const failing = decide(initialState(), round, T, POLICY, "trader");
  const alert = alertOf(eventOf(failing, "alert-only"), contextOf(failing.state, round));
  assert.equal(alert.severity, "warning");
  assert.equal(alert.title, '"trader" check "memory" is failing on pi');
  assert.equal(alert.message, '"trader" check "memory" is failing (alert only, no restart): Memory 950MiB is over 900MiB');
  assert.deepEqual(alert.details, []);
  assert.deepEqual(alert.evidence, [{ check: "memory", ok: false, summary: "Memory 950MiB is over 900MiB", lines: [] }]);
  assert.deepEqual(alert.incident, { id: `trader/memory@${T}`, since: T });
});

test("alertOfEvent announces an alert-only check passing again, in its own incident", () => {
  const failing = decide(initialState(), [RUNNING, MEMORY], T, POLICY, "trader");
  const passing = [RUNNING, { ...MEMORY, ok: true, summary: "Memory 400MiB" }];
  const cleared = decide(failing.state, passing, T + 5 * M, POLICY, "trader");
  const alert = alertOf(eventOf(cleared, "recovered"), contextOf(cleared.state, passing));
  assert.equal(alert.severity, "resolved");
  assert.equal(alert.title, '"trader" check "memory" passes again on pi');
  assert.equal(alert.message, '"trader" check "memory" passes again after 5m');
  assert.deepEqual(alert.details, ["Down for: 5m"]);
  assert.deepEqual(alert.evidence, []);
  assert.deepEqual(alert.incident, { id: `trader/memory@${T}`, since: T, durationMs: 5 * M });
});

test("alertOfEvent tells a human that a gave-up service re-armed by itself", () => {
  const policy = { ...POLICY, rearmAfterMs: 6 * H };
  const gaveUp: ServiceState = {
    ...initialState(), health: { kind: "gave-up", since: T, reason: "limit" }, restarts: [T - 30 * M, T - 20 * M, T - 10 * M], incidentSince: T - H,
  };
  const rearmed = decide(gaveUp, FAILING_ROUND, T + 6 * H, policy, "trader");
  const alert = alertOf(eventOf(rearmed, "rearmed"), contextOf(rearmed.state, FAILING_ROUND, policy));
  assert.equal(alert.severity, "info");
  assert.equal(alert.title, 'Re-armed "trader" on pi');
  assert.equal(alert.message, 'Re-armed automatic restarts of "trader" as 6h (rearm-after) have passed since it gave up');
  assert.deepEqual(alert.details, []);
  assert.deepEqual(alert.evidence, []);
  assert.deepEqual(alert.incident, { id: `trader@${T - H}`, since: T - H });
});

test("alertOfEvent puts a forbidden line before the recent ones and shows it alone", () => {
  const forbidden: Observation = {
    ...QUIET, summary: 'Forbidden pattern "Traceback" found in last 100 lines: Traceback (most recent call last):',
    evidence: { recent: RECENT, forbidden: "Traceback (most recent call last):" },
  };
  const decided = decideRestart(initialState(), T, [RUNNING, forbidden]);
  const settled = settleRestart(decided.state, { ok: true, summary: "ok" }, T + 33 * S, POLICY, "trader");
  const alert = alertOf(eventOf(settled, "restarted"), contextOf(settled.state, [RUNNING, forbidden]));
  assert.deepEqual(alert.evidence[0]?.lines, ["Traceback (most recent call last):"]);
});

test("alertOfEvent composes an alert for exactly the events ALERTING_EVENTS marks", () => {
  // One real event of every kind, then the table decides which of them reach a human.
  const made = new Map<EventKind, ServiceEvent>();
  const add = (decision: Decision): void => eventsOf(decision).forEach((event) => made.set(event.kind, event));
  const first = decide(initialState(), FAILING_ROUND, T, POLICY, "trader");
  add(first);
  const restarted = decide(first.state, FAILING_ROUND, T + 30 * S, POLICY, "trader");
  add(restarted);
  const settled = settleRestart(restarted.state, { ok: false, summary: "did not start" }, T + 33 * S, POLICY, "trader");
  add(settled);
  add(decide(settled.state, FAILING_ROUND, T + 35 * S, POLICY, "trader"));
  add(settleRestart(restarted.state, { ok: true, summary: "ok" }, T + 33 * S, POLICY, "trader"));
  add(decide(restarted.state, PASSING_ROUND, T + 2 * M, POLICY, "trader"));
  const spent = { ...initialState(), restarts: [T - 40 * M, T - 30 * M, T - 20 * M] };
  const policy = { ...POLICY, rearmAfterMs: H };
  const gaveUp = decideRestart(spent);
  add(gaveUp);
  add(decide(gaveUp.state, FAILING_ROUND, T + 2 * H, policy, "trader"));
  add(resetService(gaveUp.state, T + 2 * H, "trader"));
  add(decide(initialState(), [RUNNING, MEMORY], T, POLICY, "trader"));
  // Made by the daemon's start, not by the policy: what a killed Lifeguard left running was stopped.
  made.set("replaced", { kind: "replaced", at: T, message: 'Started "trader" (PID 9) after stopping the copy that a previous Lifeguard left running', data: {} });
  const blind = decide(initialState(), [RUNNING, UNREADABLE], T, POLICY, "trader");
  add(blind);
  add(decide(blind.state, [RUNNING, { ...STALE, ok: true }], T + M, POLICY, "trader"));
  // A human's requests, and a pause that ends by itself.
  add(stopService(initialState(), T, "trader", "root (cli)"));
  add(startService(initialState(), T, "trader", "root (cli)"));
  const paused = pauseService(initialState(), T, "trader", "root (cli)", T + H, "maintenance");
  add(paused);
  add(resumeService(paused.state, T + M, "trader", "root (cli)"));
  add(decide(paused.state, FAILING_ROUND, T + 2 * H, POLICY, "trader"));
  add(settleStop(initialState(), { ok: false, summary: "it did not stop" }, T, "trader", "root (cli)"));
  add(acknowledgeService(gaveUp.state, T + M, "trader", "telegram chat 42"));
  // A confirmed failure inside a quiet window: held back, and said so.
  const quiet = normaliseWindows([{ cron: "* * * * *", timezone: "UTC", holidays: [] }]);
  add(decide(first.state, FAILING_ROUND, T + 30 * S, { ...POLICY, schedule: { active: [], quiet } }, "trader"));
  const kinds = Object.keys(ALERTING_EVENTS) as EventKind[];
  assert.deepEqual([...made.keys()].sort(), [...kinds].sort());
  for (const kind of kinds) {
    const event = made.get(kind);
    if (event === undefined) assert.fail(`no "${kind}" event was made`);
    const alert = alertOfEvent(event, contextOf(initialState(), FAILING_ROUND));
    assert.equal(alert !== null, ALERTING_EVENTS[kind], kind);
    if (alert !== null) assert.equal(alert.kind, kind);
  }
  assert.deepEqual(kinds.filter((kind) => !ALERTING_EVENTS[kind]).sort(), ["acknowledged", "backoff", "failing", "paused", "replaced", "request-failed", "reset", "restart", "resumed", "started", "stopped"]);
});

test("alertOfEvent tells that a check cannot observe, with the fix, and when it observes again", () => {
  const blind = decide(initialState(), [RUNNING, UNREADABLE, QUIET], T, POLICY, "trader");
  const round = [RUNNING, UNREADABLE, QUIET];
  assert.deepEqual(alertOf(eventOf(blind, "unobserved"), contextOf(blind.state, round)), {
    kind: "unobserved",
    severity: "warning",
    service: "trader",
    host: HOST,
    at: T,
    title: 'Cannot observe "trader" through check "log-fresh" on pi',
    message: `Cannot observe "trader" through check "log-fresh" (no restart until it can): ${UNREADABLE.summary}`,
    details: [FIX],
    evidence: [{ check: "log-fresh", ok: false, summary: UNREADABLE.summary, lines: [`Cause: ${UNREADABLE.cause}`] }],
    incident: { id: `trader/log-fresh@${T}`, since: T },
  });
  const fresh = { ...STALE, ok: true, summary: "Log file is fresh (3s old)", cause: undefined };
  const seeing = decide(blind.state, [RUNNING, fresh], T + 5 * M, POLICY, "trader");
  assert.deepEqual(alertOf(eventOf(seeing, "observed"), contextOf(seeing.state, [RUNNING, fresh])), {
    kind: "observed",
    severity: "resolved",
    service: "trader",
    host: HOST,
    at: T + 5 * M,
    title: 'Observing "trader" through check "log-fresh" again on pi',
    message: 'Observing "trader" through check "log-fresh" again after 5m: Log file is fresh (3s old)',
    details: ["Not observed for: 5m"],
    evidence: [{ check: "log-fresh", ok: true, summary: "Log file is fresh (3s old)", lines: [] }],
    incident: { id: `trader/log-fresh@${T}`, since: T, durationMs: 5 * M },
  });
});

test("evidenceOf shows the fix of an unreadable log read as a failure (on-unreadable: restart)", () => {
  const failing = { ...UNREADABLE, unobservable: undefined };
  assert.deepEqual(evidenceOf([failing])[0]?.lines, [`Cause: ${UNREADABLE.cause}`, FIX]);
});

test("reminderAlert reminds only of a service that stays gave-up", () => {
  const gaveUp: ServiceState = {
    ...initialState(),
    health: { kind: "gave-up", since: T, reason: 'Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3)' },
    incidentSince: T - 5 * M,
  };
  assert.deepEqual(reminderAlert("trader", HOST, T + 4 * H, gaveUp, []), {
    kind: "reminder",
    severity: "critical",
    service: "trader",
    host: HOST,
    at: T + 4 * H,
    title: 'Still gave up on "trader" on pi: manual intervention needed',
    message: '"trader" has had no automatic restart for 4h: Cannot restart "trader" as the restart limit is reached: 3 restarts in the last 1h (max 3)',
    details: ["Run: lifeguard reset trader"],
    evidence: [],
    incident: { id: `trader@${T - 5 * M}`, since: T - 5 * M },
  });
  assert.equal(reminderAlert("trader", HOST, T, initialState(), []), null);
  assert.equal(reminderAlert("trader", HOST, T, { ...initialState(), health: { kind: "failing", since: T, rounds: 1, reason: "x" } }, []), null);
});

test("lifecycleAlert announces Lifeguard starting and stopping on its host", () => {
  assert.deepEqual(lifecycleAlert("lifeguard-started", HOST, T, 'Watching "trader"'), {
    kind: "lifeguard-started", severity: "info", service: null, host: HOST, at: T,
    title: "Lifeguard started on pi", message: 'Watching "trader"', details: [], evidence: [], incident: null,
  });
  const stopped = lifecycleAlert("lifeguard-stopped", HOST, T, "Stopped by SIGTERM");
  assert.equal(stopped.title, "Lifeguard stopped on pi");
  assert.equal(stopped.kind, "lifeguard-stopped");
});

test("testAlert names the channel it proves", () => {
  assert.deepEqual(testAlert(HOST, T, "phone"), {
    kind: "test", severity: "info", service: null, host: HOST, at: T,
    title: "Test alert from Lifeguard on pi",
    message: 'This is a test of the alert channel "phone": if you read this, Lifeguard\'s alerts reach you.',
    details: [], evidence: [], incident: null,
  });
});

test("several alerts as one message take the severity of the most urgent", () => {
  const at = (severity: Severity) => ({ ...testAlert("pi", 0, "x"), id: severity, severity });
  assert.equal(mostUrgent([at("resolved"), at("warning"), at("info")]), "warning");
  assert.equal(mostUrgent([at("resolved"), at("critical")]), "critical");
  assert.equal(mostUrgent([at("resolved")]), "resolved");
});
