// A human's requests carried out by the engine: the same sequences as a restart, under the lock,
// recorded with who asked; proven against real systemd and real processes in test/control.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engineLab } from "../testing/engine-lab.js";
import { checkService } from "./check-service.js";
import { controlService, type ControlRequest } from "./control-service.js";

const BY = "root (cli)";

function setup(t: { after(fn: () => void): void }, failStep?: "stop" | "kill" | "start") {
  const { parts, runner, store, deps } = engineLab(t, { "startup-grace": "0s", restart: { "verify-timeout": "2s" } }, failStep === undefined ? {} : { failStep });
  const ask = (request: ControlRequest) => controlService(parts, request, deps);
  const events = () => store.history({ service: "trader" }).flatMap((entry) => (entry.type === "event" ? [entry.event] : []));
  return { parts, runner, store, deps, ask, events };
}

test("restart on request runs the whole safe sequence, is recorded with who asked, and spends nothing of the restart limit", async (t) => {
  const { runner, store, ask, events } = setup(t);
  const outcome = await ask({ action: "restart", by: BY });
  assert.deepEqual(outcome, { ok: true, summary: 'Restarted "trader" at the request of root (cli)' });
  assert.deepEqual(runner.calls.filter((call) => call !== "status"), ["stop", "kill", "start"]);
  const [record] = store.history({ service: "trader" }).flatMap((entry) => (entry.type === "restart" ? [entry.restart] : []));
  assert.deepEqual([record?.reason, record?.ok, record?.steps.map((step) => step.step)], ["requested by root (cli)", true, ["stop", "kill", "start", "verify"]]);
  assert.deepEqual(events().map((event) => [event.kind, event.data.by]), [["restarted", BY]]);
  const state = store.loadState("trader");
  assert.deepEqual(state.restarts, []);
  assert.ok(state.lastStartAt !== null);
});

test("a stopped service stays stopped: its rounds run no check and change nothing, until a start", async (t) => {
  const { runner, store, ask, deps, parts, events } = setup(t);
  assert.deepEqual(await ask({ action: "stop", by: BY }), { ok: true, summary: 'Stopped "trader" at the request of root (cli): it is neither judged nor restarted until "lifeguard start trader"' });
  assert.deepEqual(runner.calls, ["stop", "kill"]);
  assert.equal(store.loadState("trader").control?.kind, "stopped");
  runner.calls.length = 0;
  const round = await checkService(parts, deps, { dryRun: false });
  assert.deepEqual([round.verdict.status, round.exitCode, runner.calls], ["stopped", 0, []]);
  const started = await ask({ action: "start", by: "jakub (http)" });
  assert.deepEqual(started, { ok: true, summary: 'Started "trader" at the request of jakub (http): it is judged again' });
  assert.deepEqual(runner.calls.filter((call) => call !== "status"), ["start"]);
  assert.equal(store.loadState("trader").control, undefined);
  assert.deepEqual(events().map((event) => event.kind), ["started", "stopped"]);
});

test("a stop that fails is said, recorded as failed, and leaves the service judged as before", async (t) => {
  const { store, ask, events } = setup(t, "kill");
  const outcome = await ask({ action: "stop", by: BY });
  assert.equal(outcome.ok, false);
  assert.equal(outcome.summary, 'Cannot stop "trader": kill failed (asked by root (cli))');
  assert.equal(store.loadState("trader").control, undefined);
  assert.deepEqual(events().map((event) => [event.kind, event.data.action]), [["request-failed", "stop"]]);
});

test("pause, resume and reset change the stored state only, each in the history with who asked", async (t) => {
  const { runner, store, ask, events } = setup(t);
  assert.equal((await ask({ action: "pause", by: BY, forMs: 3_600_000, reason: "deploy" })).ok, true);
  const control = store.loadState("trader").control;
  assert.ok(control?.kind === "paused" && control.until !== null && control.reason === "deploy");
  assert.equal((await ask({ action: "resume", by: BY })).ok, true);
  assert.equal((await ask({ action: "reset", by: BY })).ok, true);
  assert.deepEqual(runner.calls, []);
  assert.deepEqual(events().map((event) => [event.kind, event.data.by]), [["reset", BY], ["resumed", BY], ["paused", BY]]);
});

test("a request waits for a round that holds the lock", async (t) => {
  const { store, ask } = setup(t);
  const lease = await store.acquireLock("trader", { waitMs: 0 });
  assert.ok(lease !== null);
  const waiting = ask({ action: "pause", by: BY, forMs: null, reason: null });
  setTimeout(() => lease.release(), 200);
  assert.equal((await waiting).ok, true);
});

test("an acknowledgement is stored with the state and recorded with who asked; without an incident nothing changes", async (t) => {
  const { runner, store, ask, events } = setup(t);
  assert.deepEqual(await ask({ action: "acknowledge", by: BY }), { ok: true, summary: '"trader" has no open incident to acknowledge' });
  assert.deepEqual(events(), []);
  const state = store.loadState("trader");
  store.commitRound("trader", { state: { ...state, health: { kind: "gave-up", since: Date.now(), reason: "limit" }, incidentSince: Date.now() - 60_000 }, events: [], checkedAt: Date.now() });
  const outcome = await ask({ action: "acknowledge", by: BY });
  assert.match(outcome.summary, /^Acknowledged the incident of "trader" \(open for 1m, gave-up\) at the request of root \(cli\): no reminders of it until it ends$/);
  assert.equal(store.loadState("trader").acknowledged?.by, BY);
  assert.deepEqual(runner.calls, []);
  assert.deepEqual(events().map((event) => [event.kind, event.data.by]), [["acknowledged", BY]]);
});
