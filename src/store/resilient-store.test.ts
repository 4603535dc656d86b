import { test } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initialState } from "../core/state.js";
import { readProcStat } from "../process/proc-stat.js";
import { fillUp, makeSmallDisk, SMALL_DISK_SKIP } from "../testing/small-disk.js";
import { createFallbackLock } from "./fallback-lock.js";
import { aRestart, anEvent, makeTempDir, RETENTION, T0, type Cleanup } from "./fixtures/helpers.js";
import { createJournal } from "./memory-journal.js";
import { openResilientStore, type ResilientStore } from "./resilient-store.js";
import type { StoreNotice } from "./store-notices.js";

function openResilient(t: Cleanup, dir: string, memoryLimit = 1000): { store: ResilientStore; notices: StoreNotice[] } {
  const store = openResilientStore(dir, { retention: RETENTION, now: () => T0, host: "pi", retryMs: 0, memoryLimit });
  const notices: StoreNotice[] = [];
  store.onNotice((notice) => notices.push(notice));
  t.after(() => store.close());
  return { store, notices };
}

const gaveUp = { ...initialState(), health: { kind: "gave-up" as const, since: T0, reason: "running" }, restarts: [T0 - 2, T0 - 1, T0] };

test("on a full disk the store keeps rounds in memory, reads them back, locks by a link, and writes them in order when space returns", { skip: SMALL_DISK_SKIP }, async (t) => {
  const dir = makeSmallDisk(t);
  const { store, notices } = openResilient(t, dir);
  store.commitRound("bot", { state: initialState(), events: [anEvent(T0 - 10)], checkedAt: T0 - 10 });
  fillUp(join(dir, "filler"));

  const lease = await store.acquireLock("bot", { waitMs: 0 });
  assert.ok(lease !== null);
  assert.ok(lstatSync(join(dir, "lifeguard.lock.bot")).isSymbolicLink(), "the lock is a link: it needs no data block");
  assert.equal(await store.acquireLock("bot", { waitMs: 0 }), null, "one round at a time, as with the store's lock");
  const result = store.commitRound("bot", { state: gaveUp, events: [anEvent(T0, { kind: "gave-up" })], restart: aRestart("bot", T0), checkedAt: T0 });
  store.commitRound("bot", { state: gaveUp, events: [anEvent(T0 + 1, { kind: "gave-up" })], checkedAt: T0 + 1 });
  lease.release();
  assert.equal(result.restartId, null);
  assert.deepEqual(store.loadState("bot"), gaveUp, "the restart limit is judged from memory");
  assert.equal(store.touchRound("bot", gaveUp, T0 + 2), true);
  assert.deepEqual(notices.map((n) => n.kind), ["unrecorded"], "said once");
  assert.match(notices[0]?.message ?? "", /^History not recorded in ".*lifeguard\.db" as the disk is full \(SQLITE_FULL\): Lifeguard keeps watching/);

  rmSync(join(dir, "filler"));
  assert.equal(store.touchRound("bot", gaveUp, T0 + 3), true);
  assert.deepEqual(notices.map((n) => n.kind), ["unrecorded", "recorded"]);
  assert.match(notices[1]?.message ?? "", /^History recorded again in ".*": 3 records written, 0 dropped while the disk was full$/);
  const kinds = store.history().map((entry) => (entry.type === "event" ? entry.event.kind : entry.type));
  assert.deepEqual(kinds, ["gave-up", "restart", "gave-up", "failing"]);
  assert.deepEqual(store.loadState("bot"), gaveUp);
  assert.ok(await store.acquireLock("bot", { waitMs: 0 }), "the store's lock again");
});

test("what does not fit in memory is counted and said when the history is written again", { skip: SMALL_DISK_SKIP }, (t) => {
  const dir = makeSmallDisk(t);
  const { store, notices } = openResilient(t, dir, 3);
  store.commitRound("bot", { state: initialState(), events: [], checkedAt: T0 });
  fillUp(join(dir, "filler"));
  for (let i = 0; i < 5; i += 1) store.commitRound("bot", { state: { ...initialState(), backoffStep: i }, events: [anEvent(T0 + i)], checkedAt: T0 + i });
  rmSync(join(dir, "filler"));
  store.touchRound("bot", store.loadState("bot"), T0 + 10);
  assert.match(notices.at(-1)?.message ?? "", /: 3 records written, 2 dropped while the disk was full$/);
  assert.equal(store.loadState("bot").backoffStep, 4, "the newest state is written whatever was dropped");
});

test("a store file that is not SQLite is moved aside, kept, and a fresh one opened", (t) => {
  const dir = makeTempDir(t);
  writeFileSync(join(dir, "lifeguard.db"), "garbage ".repeat(1000));
  const { store, notices } = openResilient(t, dir);
  assert.equal(notices[0]?.kind, "replaced");
  assert.match(notices[0]?.message ?? "", /^Moved the corrupt store ".*lifeguard\.db" aside to ".*lifeguard\.db\.corrupt-\d{8}T\d{6}Z" as the file is not a database \(SQLITE_NOTADB\); started a fresh one/);
  store.commitRound("bot", { state: gaveUp, events: [], checkedAt: T0 });
  assert.deepEqual(store.loadState("bot"), gaveUp);
});

test("a lock link of a dead process is taken over; one of a live process is not", (t) => {
  const dir = makeTempDir(t);
  const links = createFallbackLock(dir);
  symlinkSync("999999999::", join(dir, "lifeguard.lock.dead"));
  assert.ok(links.tryAcquire("dead"));
  const init = readProcStat(1);
  symlinkSync(`1:${init?.startTime ?? ""}:`, join(dir, "lifeguard.lock.live"));
  assert.equal(links.tryAcquire("live"), null);
  assert.equal(links.isHeldByOther("live"), true);
});

test("the memory journal keeps at most its limit of records, dropping the oldest", () => {
  const journal = createJournal(2);
  for (let i = 0; i < 3; i += 1) journal.add("bot", { state: initialState(), events: [anEvent(T0 + i)], checkedAt: T0 + i });
  const written: number[] = [];
  assert.equal(journal.drain((entry) => entry.round.events.forEach((event) => written.push(event.at))), 2);
  assert.deepEqual(written, [T0 + 1, T0 + 2]);
  assert.equal(journal.dropped(), 1);
});
