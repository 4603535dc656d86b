import { test } from "node:test";
import assert from "node:assert/strict";
import { decide } from "./decide.js";
import { decideOnExit } from "./decide-on-exit.js";
import type { Observation } from "./outcome.js";
import type { Action, Decision } from "./policy.js";
import { initialState, type ServiceState } from "./state.js";
import { T, S, M, H, POLICY, observe } from "../testing/policy-fixtures.js";

const EXITED: Observation = { ...observe("running", false, 'Service "bot" is not active: "failed"'), conclusive: true };
const FRESH = observe("log-fresh", true, "Log file is fresh (1s old)");
const MEMORY = observe("memory", false, "Memory 950MiB is over 900MiB", true);
const UNREADABLE: Observation = { ...observe("log-activity", false, 'Cannot read "/var/log/bot.log"'), unobservable: true, hint: "chmod o+r /var/log/bot.log" };

const state = (over: Partial<ServiceState>): ServiceState => ({ ...initialState(), ...over });
const restartOf = (decision: Decision): Extract<Action, { type: "restart" }> | undefined =>
  decision.actions.find((a): a is Extract<Action, { type: "restart" }> => a.type === "restart");
const kinds = (decision: Decision): string[] => decision.actions.flatMap((a) => (a.type === "event" ? [a.event.kind] : []));

test("decideOnExit restarts a crash as decide does with every check reporting and the others passing", () => {
  const healthy = state({ healthySince: T - H });
  const onExit = decideOnExit(healthy, EXITED, T, POLICY, "bot");
  const round = decide(healthy, [EXITED, FRESH], T, POLICY, "bot");
  assert.deepEqual(onExit, round, "same state, events, restart (reason, attempt, evidence of the failing check) and verdict");
  assert.equal(restartOf(onExit)?.reason, EXITED.summary);
  assert.deepEqual(kinds(onExit), ["failing", "restart"]);
});

test("decideOnExit keeps what the state says of the checks that did not report", () => {
  const unobserved = { "log-activity": { since: T - M, reason: UNREADABLE.summary, hint: "chmod o+r /var/log/bot.log" } };
  const before = state({ healthySince: T - H, alertOnlySince: { memory: T - 5 * M }, unobserved });
  const onExit = decideOnExit(before, EXITED, T, POLICY, "bot");
  assert.deepEqual(onExit.state.alertOnlySince, { memory: T - 5 * M }, "not forgotten: no 'alert-only' again at the next round");
  assert.deepEqual(onExit.state.unobserved, unobserved);
  assert.deepEqual(kinds(onExit), ["failing", "restart"], "no alert-only or observed event for checks that did not run");
  // The round after it, with every check reporting as before, announces nothing new about them.
  const next = decide({ ...onExit.state, health: { kind: "healthy" } }, [observe("running", true, "active"), MEMORY, UNREADABLE], T + S, POLICY, "bot");
  assert.deepEqual(kinds(next), []);
});

test("decideOnExit leaves the state without the maps when no check had any", () => {
  const onExit = decideOnExit(state({ healthySince: T - H }), EXITED, T, POLICY, "bot");
  assert.equal("alertOnlySince" in onExit.state, false);
  assert.equal("unobserved" in onExit.state, false);
});

test("decideOnExit holds the restart limit and the backoff as decide does", () => {
  const limited = state({ restarts: [T - 30 * M, T - 20 * M, T - 10 * M], lastStartAt: T - 10 * M });
  const gaveUp = decideOnExit(limited, EXITED, T, POLICY, "bot");
  assert.equal(restartOf(gaveUp), undefined);
  assert.equal(gaveUp.state.health.kind, "gave-up");
  const backingOff = state({ restarts: [T - 2 * S], backoffStep: 1, lastStartAt: T - 2 * S });
  const waiting = decideOnExit(backingOff, EXITED, T, POLICY, "bot");
  assert.equal(restartOf(waiting), undefined);
  assert.equal(waiting.verdict.status, "backoff");
});

test("decideOnExit does not restart a service a human stopped or paused", () => {
  const stopped = decideOnExit(state({ control: { kind: "stopped", since: T - M, by: "cli" } }), EXITED, T, POLICY, "bot");
  assert.equal(stopped.verdict.status, "stopped");
  const paused = decideOnExit(state({ control: { kind: "paused", since: T - M, by: "cli", until: null, reason: null } }), EXITED, T, POLICY, "bot");
  assert.equal(restartOf(paused), undefined);
  assert.equal(paused.verdict.status, "paused");
});
