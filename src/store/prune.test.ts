import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { initialState } from "../core/state.js";
import { PRUNE_INTERVAL_MS } from "./prune.js";
import { aRestart, anEvent, makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";

const DAY = 86_400_000;
const sizeOf = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

test("prune deletes restarts and events older than the maximum age, and nothing else", (t) => {
  const store = openTestStore(t, makeTempDir(t), { retention: { maxAgeMs: 7 * DAY, maxBytes: 1024 ** 3 } });
  store.commitRound("trader", { state: initialState(), events: [], checkedAt: T0 - 30 * DAY });
  for (const age of [30, 8, 6, 1]) {
    store.recordEvent("trader", anEvent(T0 - age * DAY));
    store.recordRestart(aRestart("trader", T0 - age * DAY));
  }
  const result = store.prune({ now: T0, force: true });
  assert.equal(result.ran, true);
  assert.equal(result.deletedByAge, 4);
  assert.equal(result.deletedBySize, 0);
  assert.deepEqual(store.history().map((entry) => [entry.type, (T0 - entry.at) / DAY]), [["restart", 1], ["event", 1], ["restart", 6], ["event", 6]]);
  assert.deepEqual(store.loadState("trader"), initialState(), "states are never pruned");
});

test("prune shrinks a file over the size cap below it, oldest rows first", (t) => {
  const maxBytes = 256 * 1024;
  const store = openTestStore(t, makeTempDir(t), { retention: { maxAgeMs: 365 * DAY, maxBytes } });
  store.commitRound("trader", { state: initialState(), events: [], checkedAt: T0 });
  for (let i = 0; i < 3000; i++) store.recordEvent("trader", anEvent(T0 - 3000 + i, { data: { i, lines: "log line ".repeat(250) } }));
  assert.ok(sizeOf(store.file) + sizeOf(`${store.file}-wal`) > 4 * maxBytes, "the test wrote enough to be over the cap");
  const result = store.prune({ force: true });
  assert.ok(result.deletedBySize > 2000, `deleted ${result.deletedBySize}`);
  assert.ok(result.bytesAfter <= maxBytes, `in use ${result.bytesAfter}`);
  assert.ok(sizeOf(store.file) <= maxBytes, `file ${sizeOf(store.file)}`);
  assert.equal(sizeOf(`${store.file}-wal`), 0, "the WAL is folded in and truncated");
  const kept = store.history({ limit: 5000 });
  assert.equal(kept[0]?.type === "event" ? kept[0].event.data["i"] : null, 2999, "the newest are kept");
  assert.equal(kept.length, 3000 - result.deletedBySize);
  assert.deepEqual(store.loadState("trader"), initialState());
  assert.deepEqual(store.checkIntegrity(), []);
});

test("prune runs at most once per interval unless forced, and again when the clock went back", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  assert.equal(store.prune({ now: T0 }).ran, true);
  assert.equal(store.prune({ now: T0 + PRUNE_INTERVAL_MS - 1 }).ran, false);
  assert.equal(store.prune({ now: T0 + 1, force: true }).ran, true);
  assert.equal(store.prune({ now: T0 + 1 + PRUNE_INTERVAL_MS }).ran, true);
  assert.equal(store.prune({ now: T0 }).ran, true, "the clock went back");
});

test("commitRound prunes when due after writing history, never for a steady round", (t) => {
  let now = T0;
  const store = openTestStore(t, makeTempDir(t), { now: () => now, retention: { maxAgeMs: DAY, maxBytes: 1024 ** 3 } });
  store.recordEvent("trader", anEvent(T0 - 2 * DAY));
  store.commitRound("trader", { state: initialState(), events: [], checkedAt: now });
  assert.equal(store.history().length, 1, "a round without history does not prune");
  store.commitRound("trader", { state: initialState(), events: [anEvent(now)], checkedAt: now });
  assert.deepEqual(store.history().map((entry) => entry.at), [T0]);
  store.recordEvent("trader", anEvent(T0 - 2 * DAY));
  now = T0 + 60_000;
  store.commitRound("trader", { state: initialState(), events: [anEvent(now)], checkedAt: now });
  assert.equal(store.history().length, 3, "not due again within the hour");
});

test("prune drops what a check kept between runs when its service or check left the config, or when it is older than the history; the rest stays", (t) => {
  const checks = [{ service: "trader", check: "log-activity" }, { service: "trader", check: "log-activity#2" }];
  const dir = makeTempDir(t);
  const store = openTestStore(t, dir, { retention: { maxAgeMs: 7 * DAY, maxBytes: 1024 ** 3 }, checks });
  store.remember("trader", "log-activity", "kept", T0 - DAY);
  store.remember("trader", "log-activity#2", "too old", T0 - 8 * DAY);
  store.remember("trader", "log-activity#3", "check removed", T0);
  store.remember("gone", "log-activity", "service removed", T0);
  const result = store.prune({ now: T0, force: true });
  assert.equal(result.checksForgotten, 3);
  assert.deepEqual([["trader", "log-activity"], ["trader", "log-activity#2"], ["trader", "log-activity#3"], ["gone", "log-activity"]].map(([service = "", check = ""]) => store.recall(service, check)), ["kept", null, null, null]);
  // A store opened without the config's checks (a tool, a test) drops only what is too old.
  const bare = openTestStore(t, makeTempDir(t), { retention: { maxAgeMs: 7 * DAY, maxBytes: 1024 ** 3 } });
  bare.remember("gone", "log-activity", "unknown", T0);
  bare.remember("gone", "log-activity#2", "too old", T0 - 8 * DAY);
  assert.equal(bare.prune({ now: T0, force: true }).checksForgotten, 1);
  assert.equal(bare.recall("gone", "log-activity"), "unknown");
});
