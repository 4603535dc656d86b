import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { createMemoryLogger } from "../core/logger.js";
import { initialState, type ServiceState } from "../core/state.js";
import { aRestart, anEvent, makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";

const failing = (since: number): ServiceState => ({ ...initialState(), health: { kind: "failing", since, rounds: 1, reason: "log-fresh" }, incidentSince: since });

test("loadState says a stored state that is not JSON is unreadable", (t) => {
  const logger = createMemoryLogger();
  const store = openTestStore(t, makeTempDir(t), { logger, now: () => T0 });
  store.commitRound("trader", { state: failing(T0), events: [], checkedAt: T0 });
  const db = new Database(store.file);
  db.prepare("UPDATE service_state SET state = '{oops' WHERE service = 'trader'").run();
  db.close();
  assert.deepEqual(store.loadState("trader"), initialState());
  assert.equal(logger.entries[0]?.message, 'Cannot read the stored state of "trader" as it is not JSON; starting it from the initial state');
});

test("loadState gives the initial state for a service never stored", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  assert.deepEqual(store.loadState("trader"), initialState());
});

test("commitRound stores the state that loadState reads back", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const state = failing(T0);
  const result = store.commitRound("trader", { state, events: [anEvent(T0)], checkedAt: T0 });
  assert.deepEqual(result, { stateWritten: true, checkedAtWritten: true, events: 1, restartId: null, alerts: [] });
  assert.deepEqual(store.loadState("trader"), state);
  assert.deepEqual(store.loadState("other"), initialState());
});

test("100 healthy rounds with an unchanged state write the state once and checked_at only every 5 minutes", (t) => {
  let now = T0;
  const store = openTestStore(t, makeTempDir(t), { now: () => now });
  const state = { ...initialState(), healthySince: T0 };
  for (let round = 0; round < 100; round++) {
    now = T0 + round * 30_000;
    store.commitRound("trader", { state: { ...state, restarts: [] }, events: [], checkedAt: now });
  }
  const stats = store.stats();
  assert.equal(stats.stateWrites, 1);
  assert.equal(stats.checkedAtWrites, 10, "the first round, then every 10th (30 s × 10 = 5 min)");
  assert.equal(stats.rowsChanged, 10);
});

test("a steady round within the throttle writes nothing at all", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.commitRound("trader", { state: initialState(), events: [], checkedAt: T0 });
  const before = store.stats().rowsChanged;
  for (let i = 0; i < 50; i++) {
    const result = store.commitRound("trader", { state: initialState(), events: [], checkedAt: T0 + i * 1000 });
    assert.deepEqual(result, { stateWritten: false, checkedAtWritten: false, events: 0, restartId: null, alerts: [] });
  }
  assert.equal(store.stats().rowsChanged, before);
});

test("commitRound refreshes checked_at with events and when the clock went back by more than the throttle", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.commitRound("trader", { state: initialState(), events: [], checkedAt: T0 });
  assert.equal(store.commitRound("trader", { state: initialState(), events: [anEvent(T0 + 1)], checkedAt: T0 + 1 }).checkedAtWritten, true);
  assert.equal(store.commitRound("trader", { state: initialState(), events: [], checkedAt: T0 - 3_600_000 }).checkedAtWritten, true);
  assert.equal(store.services()[0]?.checkedAt, T0 - 3_600_000);
});

test("commitRound writes state, events and restart in one transaction: all or nothing", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.commitRound("trader", { state: initialState(), events: [], checkedAt: T0 });
  const broken = aRestart("trader", T0, { attempt: Number.NaN });
  assert.throws(() => store.commitRound("trader", { state: failing(T0), events: [anEvent(T0)], restart: broken, checkedAt: T0 + 1 }), /NOT NULL/);
  assert.deepEqual(store.loadState("trader"), initialState());
  assert.deepEqual(store.history(), []);
});

test("commitRound refuses a restart record of another service", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  assert.throws(
    () => store.commitRound("trader", { state: initialState(), events: [], restart: aRestart("other", T0), checkedAt: T0 }),
    { message: 'commitRound("trader") got a restart record of "other"' },
  );
});

test("loadState falls back to the initial state for an unknown shape, and says so", (t) => {
  const logger = createMemoryLogger();
  const store = openTestStore(t, makeTempDir(t), { logger, now: () => T0 });
  store.commitRound("trader", { state: failing(T0), events: [], checkedAt: T0 });
  const db = new Database(store.file);
  db.prepare("UPDATE service_state SET state = ? WHERE service = 'trader'").run('{"health":{"kind":"dancing"}}');
  db.close();
  assert.deepEqual(store.loadState("trader"), initialState());
  assert.deepEqual(logger.entries, [
    {
      at: T0,
      tag: "WARN",
      service: "trader",
      message: 'Cannot read the stored state of "trader" as its field "health.kind" does not fit; starting it from the initial state',
      data: { detail: logger.entries[0]?.data?.["detail"] },
    },
  ]);
  assert.equal(typeof logger.entries[0]?.data?.["detail"], "string");
  assert.equal(store.commitRound("trader", { state: initialState(), events: [], checkedAt: T0 }).stateWritten, true, "the next round repairs the row");
});

test("loadState fills fields an older Lifeguard did not store, and keeps fields a newer one did", (t) => {
  const logger = createMemoryLogger();
  const store = openTestStore(t, makeTempDir(t), { logger });
  store.commitRound("trader", { state: failing(T0), events: [], checkedAt: T0 });
  const db = new Database(store.file);
  const older = { health: { kind: "gave-up", since: T0, reason: "limit" }, restarts: [T0], lastStartAt: T0, backoffStep: 2, healthySince: null, junk: 1 };
  db.prepare("UPDATE service_state SET state = ? WHERE service = 'trader'").run(JSON.stringify(older));
  db.close();
  assert.deepEqual(store.loadState("trader"), { ...older, incidentSince: null });
  assert.deepEqual(logger.entries, []);
});

test("loadState keeps every field the policy stores, optional ones included", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const state = {
    ...initialState(),
    health: { kind: "failing", since: T0, rounds: 3, reason: "http", backoffUntil: T0 + 10_000 },
    alertOnlySince: { memory: T0 - 5000 },
  } as ServiceState;
  store.commitRound("trader", { state, events: [], checkedAt: T0 });
  assert.deepEqual(store.loadState("trader"), state);
  assert.equal(store.commitRound("trader", { state: { ...state }, events: [], checkedAt: T0 + 1 }).stateWritten, false);
});

test("touchRound writes nothing within the throttle, refreshes checked_at after it, and never overwrites a state changed meanwhile", (t) => {
  let now = T0;
  const store = openTestStore(t, makeTempDir(t), { now: () => now });
  const steady = { ...initialState(), healthySince: T0 };
  assert.equal(store.touchRound("trader", steady, T0), false, "nothing stored yet: the round must run under the lock");
  store.commitRound("trader", { state: steady, events: [], checkedAt: T0 });
  const before = store.stats().rowsChanged;
  for (let second = 1; second < 300; second++) assert.equal(store.touchRound("trader", steady, T0 + second * 1000), true);
  assert.equal(store.stats().rowsChanged, before, "a steady round every second for 5 minutes wrote nothing");
  now = T0 + 300_000;
  assert.equal(store.touchRound("trader", steady, now), true);
  assert.equal(store.stats().rowsChanged, before + 1, "then checked_at, once");
  // Another process (a cron `check`) changed the state: the steady round does not hold.
  store.commitRound("trader", { state: failing(now), events: [], checkedAt: now });
  assert.equal(store.touchRound("trader", steady, now + 600_000), false);
  assert.deepEqual(store.loadState("trader"), failing(now));
});

test("loadState parses a stored state once while its text stays the same, and reads a new one at once", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.commitRound("trader", { state: failing(T0), events: [], checkedAt: T0 });
  const first = store.loadState("trader");
  assert.equal(store.loadState("trader"), first, "the same parsed object: no JSON or schema work per round");
  store.commitRound("trader", { state: failing(T0 + 1000), events: [], checkedAt: T0 + 1000 });
  assert.deepEqual(store.loadState("trader"), failing(T0 + 1000));
});

test("touchRound compares the state a round read without serialising it, and still refuses a stored text an older Lifeguard wrote", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.commitRound("trader", { state: failing(T0), events: [], checkedAt: T0 });
  assert.equal(store.touchRound("trader", store.loadState("trader"), T0 + 1000), true, "the very state loadState gave: the same text");
  const db = new Database(store.file);
  const older = { health: { kind: "healthy" }, restarts: [], lastStartAt: null, backoffStep: 0, healthySince: T0 };
  db.prepare("UPDATE service_state SET state = ? WHERE service = 'trader'").run(JSON.stringify(older));
  db.close();
  // Read with its missing field filled in: its canonical text differs, so the round runs under the lock and writes it whole.
  assert.equal(store.touchRound("trader", store.loadState("trader"), T0 + 2000), false);
});
