import { test } from "node:test";
import assert from "node:assert/strict";
import type { WatchRecord } from "../core/watch.js";
import { makeTempDir, openTestStore, T0 } from "./fixtures/helpers.js";

const daemon = (pid: number, service: string, since = T0): WatchRecord => ({
  service, mode: "daemon", pid, startTime: 7, bootId: "boot", host: "pi", since, beatAt: since, previousBeatAt: null, stoppedAt: null, stopReason: null, url: null,
});
const checkRun = (service: string, at: number): WatchRecord => ({ ...daemon(900, service, at), mode: "check" });
const live = (pids: number[]) => (record: WatchRecord) => pids.includes(record.pid);

test("a daemon claims its services, and a second one is refused any of them while the first runs", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  assert.equal(store.claimWatch([daemon(1, "bot"), daemon(1, "trader")], live([1])), null);
  const refused = store.claimWatch([daemon(2, "scanner", T0 + 5), daemon(2, "trader", T0 + 5)], live([1, 2]));
  assert.deepEqual(refused, daemon(1, "trader"));
  // Nothing of the refused claim was written, not even its service no one held.
  assert.deepEqual(store.watchers().map((record) => [record.service, record.pid]), [["bot", 1], ["trader", 1]]);
});

test("a daemon takes over from one that is gone or stopped, and claims again its own services (its address)", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.claimWatch([daemon(1, "bot")], live([1]));
  assert.equal(store.claimWatch([daemon(2, "bot", T0 + 1)], live([2])), null, "pid 1 is dead");
  assert.equal(store.claimWatch([{ ...daemon(2, "bot", T0 + 1), url: "http://127.0.0.1:9473" }], live([2])), null, "its own claim");
  assert.equal(store.watchers()[0]?.url, "http://127.0.0.1:9473");
  store.endWatch(2, T0 + 1, T0 + 10, "SIGTERM");
  assert.equal(store.claimWatch([daemon(3, "bot", T0 + 20)], live([2, 3])), null, "pid 2 stopped, though its pid lives on");
  assert.equal(store.watchers()[0]?.pid, 3);
});

test("beats and the stop touch only the rows of that daemon run", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.claimWatch([daemon(1, "bot"), daemon(1, "trader")], live([1]));
  store.claimWatch([daemon(2, "scanner", T0 + 5)], live([1, 2]));
  store.beatWatch(1, T0, T0 + 30_000);
  store.beatWatch(1, T0 + 999, T0 + 60_000); // another run of pid 1 (a reused pid): none of its rows
  store.endWatch(2, T0 + 5, T0 + 40_000, "a reload");
  const rows = Object.fromEntries(store.watchers().map((record) => [record.service, record]));
  assert.equal(rows.bot?.beatAt, T0 + 30_000);
  assert.equal(rows.trader?.beatAt, T0 + 30_000);
  assert.equal(rows.bot?.stoppedAt, null);
  assert.deepEqual([rows.scanner?.stoppedAt, rows.scanner?.stopReason, rows.scanner?.beatAt], [T0 + 40_000, "a reload", T0 + 5]);
});

test("a check run records itself with the run before it, and never takes a service a live daemon watches", (t) => {
  const store = openTestStore(t, makeTempDir(t));
  store.recordCheckRun(checkRun("bot", T0), live([]));
  store.recordCheckRun(checkRun("bot", T0 + 60_000), live([]));
  assert.deepEqual([store.watchers()[0]?.beatAt, store.watchers()[0]?.previousBeatAt], [T0 + 60_000, T0]);
  store.claimWatch([daemon(1, "bot", T0 + 61_000)], live([1]));
  store.recordCheckRun(checkRun("bot", T0 + 120_000), live([1]));
  assert.equal(store.watchers()[0]?.mode, "daemon");
  // Once that daemon is gone, a check watches again, its cadence starting over.
  store.recordCheckRun(checkRun("bot", T0 + 180_000), live([]));
  assert.deepEqual([store.watchers()[0]?.mode, store.watchers()[0]?.previousBeatAt], ["check", null]);
});
