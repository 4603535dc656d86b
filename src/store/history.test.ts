import { test } from "node:test";
import assert from "node:assert/strict";
import { initialState } from "../core/state.js";
import { MAX_JSON_BYTES } from "./json.js";
import { aRestart, anEvent, makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";


test("history merges restarts and events, newest first", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const restart = aRestart("trader", T0 + 2000);
  store.commitRound("trader", { state: initialState(), events: [anEvent(T0 + 1000, { kind: "failing" }), anEvent(T0 + 2000, { kind: "restart" })], checkedAt: T0 });
  store.commitRound("trader", { state: initialState(), events: [anEvent(T0 + 3500, { kind: "restarted", data: { took: 1500 } })], restart: aRestart("trader", T0 + 2000), checkedAt: T0 + 3500 });
  store.recordEvent("bot", anEvent(T0 + 3000, { kind: "failing" }));
  const entries = store.history();
  assert.deepEqual(entries.map((entry) => [entry.type, entry.service, entry.at]), [
    ["event", "trader", T0 + 3500],
    ["event", "bot", T0 + 3000],
    ["restart", "trader", T0 + 2000],
    ["event", "trader", T0 + 2000],
    ["event", "trader", T0 + 1000],
  ]);
  const [restarted, , recorded] = entries;
  assert.deepEqual(recorded?.type === "restart" ? recorded.restart : null, restart);
  assert.deepEqual(restarted?.type === "event" ? restarted.event : null, anEvent(T0 + 3500, { kind: "restarted", data: { took: 1500 } }));
});

test("history filters by service and time, and limits the count", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  for (let i = 0; i < 10; i++) {
    store.recordEvent(i % 2 === 0 ? "trader" : "bot", anEvent(T0 + i * 1000));
    store.recordRestart(aRestart(i % 2 === 0 ? "trader" : "bot", T0 + i * 1000 + 500));
  }
  assert.equal(store.history().length, 20);
  assert.deepEqual(store.history({ service: "bot", since: T0 + 6000 }).map((e) => e.at), [T0 + 9500, T0 + 9000, T0 + 7500, T0 + 7000]);
  assert.deepEqual(store.history({ limit: 3 }).map((e) => e.at), [T0 + 9500, T0 + 9000, T0 + 8500]);
  assert.deepEqual(store.history({ service: "nobody" }), []);
});

test("evidence and event data are bounded in size and never break a write", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.recordRestart(aRestart("trader", T0, { evidence: { line: "x".repeat(MAX_JSON_BYTES * 2) } }));
  store.recordEvent("trader", anEvent(T0 + 1, { data: { big: 10n } }));
  const [event, restart] = store.history();
  assert.deepEqual(event?.type === "event" ? event.event.data : null, { unserializable: "Do not know how to serialize a BigInt" });
  const evidence = restart?.type === "restart" ? (restart.restart.evidence as Record<string, unknown>) : {};
  assert.equal(evidence["truncated"], true);
  assert.equal(evidence["bytes"], MAX_JSON_BYTES * 2 + '{"line":""}'.length);
  assert.equal(String(evidence["preview"]).slice(0, 12), '{"line":"xxx');
});

test("services lists every known service with its state, last check and restarts in the window", (t) => {
  let now = T0;
  const store = openTestStore(t, makeTempDir(t), { now: () => now });
  const gaveUp = { ...initialState(), health: { kind: "gave-up" as const, since: T0, reason: "limit" } };
  store.commitRound("trader", { state: gaveUp, events: [], restart: aRestart("trader", T0 - 7_200_000), checkedAt: T0 });
  store.recordRestart(aRestart("trader", T0 - 60_000, { attempt: 2, ok: false }));
  now = T0 + 5;
  store.commitRound("bot", { state: initialState(), events: [], checkedAt: T0 + 10 });
  assert.deepEqual(store.services({ since: T0 - 3_600_000 }), [
    { service: "bot", state: initialState(), updatedAt: T0 + 5, checkedAt: T0 + 10, restartsInWindow: 0, lastRestart: null },
    {
      service: "trader", state: gaveUp, updatedAt: T0, checkedAt: T0, restartsInWindow: 1,
      lastRestart: aRestart("trader", T0 - 60_000, { attempt: 2, ok: false }),
    },
  ]);
  assert.equal(store.services()[1]?.restartsInWindow, 2);
});
