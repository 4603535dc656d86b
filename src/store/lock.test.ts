import { test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readBootId, readProcStat } from "../process/proc-stat.js";
import { makeTempDir, openTestStore, spawnFixture, T0 } from "./fixtures/helpers.js";

/** Writes a lock row by hand, as a process that is now dead (or alive) would have left it. */
function plantLock(file: string, owner: { pid: number; startTime: number | null; bootId: string | null }): void {
  const db = new Database(file);
  db.prepare("INSERT OR REPLACE INTO locks (service, token, pid, start_time, boot_id, host, label, acquired_at) VALUES ('svc', 'planted', ?, ?, ?, 'elsewhere', 'planted', 0)")
    .run(owner.pid, owner.startTime, owner.bootId);
  db.close();
}

const ZOMBIE_MAKER = "import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(1000)";

test("a lease is exclusive, also within one process, until released", async (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const lease = await store.acquireLock("svc", { waitMs: 0 });
  assert.ok(lease);
  assert.equal(lease.acquiredAt, T0);
  assert.equal(lease.tookOverFrom, null);
  assert.equal(store.lockOwner("svc")?.pid, process.pid);
  assert.equal(await store.acquireLock("svc", { waitMs: 30, pollMs: 5 }), null);
  assert.ok(await store.acquireLock("other", { waitMs: 0 }), "locks are per service");
  assert.equal(lease.release(), true);
  assert.equal(lease.release(), false, "a second release is harmless");
  assert.ok(await store.acquireLock("svc", { waitMs: 0 }));
});

test("release leaves a lease that another process took over alone", async (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const lease = await store.acquireLock("svc", { waitMs: 0 });
  plantLock(store.file, { pid: process.ppid, startTime: readProcStat(process.ppid)?.startTime ?? null, bootId: readBootId() });
  assert.equal(lease?.release(), false);
  assert.equal(store.lockOwner("svc")?.pid, process.ppid);
});

test("a waiter gets the lease once the holder releases it", async (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const first = await store.acquireLock("svc", { waitMs: 0 });
  const waiting = store.acquireLock("svc", { waitMs: 60_000, pollMs: 5 });
  setTimeout(() => first?.release(), 20);
  assert.ok(await waiting);
});

test("aborting the wait rejects with the signal's reason", async (t) => {
  const store = openTestStore(t, makeTempDir(t));
  await store.acquireLock("svc", { waitMs: 0 });
  const controller = new AbortController();
  const waiting = store.acquireLock("svc", { waitMs: 60_000, pollMs: 5, signal: controller.signal });
  setTimeout(() => controller.abort(new Error("shutting down")), 20);
  await assert.rejects(waiting, { message: "shutting down" });
});

test("close releases the leases still held", async (t) => {
  const dir = makeTempDir(t);
  const store = openTestStore(t, dir);
  const other = openTestStore(t, dir);
  await store.acquireLock("svc", { waitMs: 0 });
  store.close();
  assert.ok(await other.acquireLock("svc", { waitMs: 0 }));
});

test("a lease held by a live process is not taken; once it is killed -9, it is taken over", async (t) => {
  const dir = makeTempDir(t);
  const store = openTestStore(t, dir);
  const holder = spawnFixture(t, "lock-holder.ts", [dir]);
  assert.equal(await holder.waitForLine("held"), "held");
  assert.equal(await store.acquireLock("svc", { waitMs: 50, pollMs: 5 }), null);
  assert.deepEqual(store.lockOwner("svc")?.pid, holder.pid);
  await holder.kill();
  const lease = await store.acquireLock("svc", { waitMs: 0 });
  assert.equal(lease?.tookOverFrom?.pid, holder.pid);
  assert.equal(lease?.tookOverFrom?.label, "lock-holder");
});

test("a lease whose owner is a zombie is taken over", async (t) => {
  const store = openTestStore(t, makeTempDir(t));
  // A parent that forks a child which exits at once, and never reaps it.
  const parent = spawn("/usr/bin/python3", ["-c", ZOMBIE_MAKER], { stdio: ["ignore", "pipe", "ignore"] });
  t.after(async () => {
    if (parent.exitCode === null && parent.signalCode === null) process.kill(parent.pid as number, "SIGKILL");
  });
  const [chunk] = (await once(parent.stdout, "data")) as [Buffer];
  const zombie = Number(String(chunk).trim());
  for (let i = 0; i < 500 && readProcStat(zombie)?.state !== "Z"; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const stat = readProcStat(zombie);
  assert.equal(stat?.state, "Z");
  plantLock(store.file, { pid: zombie, startTime: stat?.startTime ?? null, bootId: readBootId() });
  assert.equal((await store.acquireLock("svc", { waitMs: 0 }))?.tookOverFrom?.pid, zombie);
});

test("a lease whose pid was reused by another process, or from another boot, is taken over", async (t) => {
  const store = openTestStore(t, makeTempDir(t));
  const self = { pid: process.pid, startTime: readProcStat(process.pid)?.startTime ?? null, bootId: readBootId() };
  plantLock(store.file, { ...self, startTime: (self.startTime ?? 0) + 1 });
  const reused = await store.acquireLock("svc", { waitMs: 0 });
  assert.equal(reused?.tookOverFrom?.pid, process.pid);
  reused?.release();
  plantLock(store.file, { ...self, bootId: "00000000-0000-0000-0000-000000000000" });
  assert.ok(await store.acquireLock("svc", { waitMs: 0 }), "another boot");
  plantLock(store.file, self);
  assert.equal(await store.acquireLock("svc", { waitMs: 0 }), null, "the same process in this boot is alive");
});

test("two processes racing for one lock never hold it at the same time", async (t) => {
  const dir = makeTempDir(t);
  const rounds = 60;
  // Both open a store that does not exist yet: creating and migrating it races too.
  const racers = [spawnFixture(t, "lock-racer.ts", [dir, String(rounds)]), spawnFixture(t, "lock-racer.ts", [dir, String(rounds)])];
  assert.deepEqual(await Promise.all(racers.map((racer) => racer.exited())), [0, 0]);
  // In id order, which is commit order: an overlap would interleave two holders' marks.
  const db = new Database(openTestStore(t, dir).file);
  const marks = (db.prepare("SELECT data FROM events ORDER BY id").pluck().all() as string[]).map((data) => JSON.parse(data) as Record<string, unknown>);
  db.close();
  assert.equal(marks.length, 4 * rounds);
  for (let i = 0; i < marks.length; i += 2) {
    assert.deepEqual([marks[i]?.["phase"], marks[i + 1]?.["phase"]], ["start", "end"], `holder intervals overlap at ${i}`);
    assert.equal(marks[i]?.["pid"], marks[i + 1]?.["pid"], `holder intervals overlap at ${i}`);
  }
  assert.deepEqual(new Set(marks.map((mark) => mark["pid"])), new Set(racers.map((racer) => racer.pid)));
});
