import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";

test("the first look at a heartbeat starts its watch; later looks find the same watch", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  assert.equal(store.readHeartbeat("bot"), null);
  assert.deepEqual(store.lookUpHeartbeat("bot", T0), { watchedSince: T0, lastPing: null });
  assert.deepEqual(store.lookUpHeartbeat("bot", T0 + 60_000), { watchedSince: T0, lastPing: null });
  assert.deepEqual(store.readHeartbeat("bot"), { watchedSince: T0, lastPing: null });
  assert.equal(store.readHeartbeat("other"), null);
});

test("recordPing keeps the last ping of each kind, and readHeartbeat reads it back", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.recordPing("bot", { kind: "start" }, T0);
  assert.deepEqual(store.readHeartbeat("bot"), { watchedSince: T0, lastPing: { at: T0, signal: { kind: "start" } } });
  for (const [offset, signal] of [
    [1000, { kind: "success" }],
    [2000, { kind: "fail" }],
    [3000, { kind: "exit", exitCode: 3 }],
    [4000, { kind: "exit", exitCode: 0 }],
  ] as const) {
    store.recordPing("bot", signal, T0 + offset);
    assert.deepEqual(store.readHeartbeat("bot"), { watchedSince: T0, lastPing: { at: T0 + offset, signal } });
  }
});

test("watchHeartbeat starts the watch over and keeps the last ping", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.watchHeartbeat("bot", T0);
  store.recordPing("bot", { kind: "fail" }, T0 + 1000);
  store.watchHeartbeat("bot", T0 + 600_000);
  assert.deepEqual(store.readHeartbeat("bot"), { watchedSince: T0 + 600_000, lastPing: { at: T0 + 1000, signal: { kind: "fail" } } });
});

test("a ping survives closing and reopening the store", (t) => {
  const dir = makeTempDir(t);
  const first = openTestStore(t, dir);
  first.recordPing("bot", { kind: "exit", exitCode: 255 }, T0);
  first.close();
  const again = openTestStore(t, dir);
  assert.deepEqual(again.readHeartbeat("bot"), { watchedSince: T0, lastPing: { at: T0, signal: { kind: "exit", exitCode: 255 } } });
});

test("the table refuses a row that no ping could write", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const db = new Database(store.file);
  t.after(() => db.close());
  const insert = db.prepare("INSERT INTO heartbeats (service, watched_since, pinged_at, signal, exit_code) VALUES (?, ?, ?, ?, ?)");
  assert.throws(() => insert.run("a", T0, T0, "bogus", null), /CHECK constraint failed/);
  assert.throws(() => insert.run("b", T0, T0, "exit", null), /CHECK constraint failed/);
  assert.throws(() => insert.run("c", T0, T0, "fail", 1), /CHECK constraint failed/);
  assert.throws(() => insert.run("d", T0, null, "success", null), /CHECK constraint failed/);
  assert.throws(() => insert.run("e", T0, T0, "exit", 256), /CHECK constraint failed/);
});
