import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HeartbeatCheckConfig } from "../config/types.js";
import type { PingSignal } from "../core/heartbeat.js";
import { openStore, type Store } from "../store/index.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { createCheck } from "./registry.js";

const MAX_AGE = 120_000;
const CONFIG: HeartbeatCheckConfig = { kind: "heartbeat", id: "heartbeat", timeoutMs: 5000, alertOnly: false, maxAgeMs: MAX_AGE, file: null };

/** A heartbeat check of "bot" over a real store in a temp dir, on a fake clock; `ping` records as the daemon does. */
function lab(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-heartbeat-"));
  const clock = createFakeClock();
  const store: Store = openStore(dir, { retention: { maxAgeMs: 86_400_000, maxBytes: 64 * 1024 ** 2 }, now: clock.now });
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const check = createCheck(CONFIG, { clock, runner: unusedRunner, serviceName: "bot", heartbeats: store });
  return {
    clock,
    store,
    check,
    observe: () => check.run(new AbortController().signal),
    ping: (signal: PingSignal = { kind: "success" }) => store.recordPing("bot", signal, clock.now()),
  };
}

test("a heartbeat never pinged passes for max-age from the first look, then fails", async (t) => {
  const { clock, check, observe, store } = lab(t);
  const start = clock.now();
  const first = await observe();
  assert.equal(first.ok, true);
  assert.equal(first.summary, "Waiting for the first heartbeat since Lifeguard began watching 0ms ago (max-age 2m)");
  assert.equal(check.dueAt(), start + MAX_AGE + 1, "stale 1 ms past max-age after the watch began");
  assert.deepEqual(store.readHeartbeat("bot"), { watchedSince: start, lastPing: null }, "the first look started the watch");
  await clock.advance(MAX_AGE);
  assert.equal((await observe()).ok, true);
  await clock.advance(5000);
  const stale = await observe();
  assert.equal(stale.ok, false);
  assert.equal(stale.summary, "No heartbeat for 2m5s (max-age 2m)");
  assert.equal(check.dueAt(), null);
  assert.deepEqual(stale.evidence, { maxAgeMs: MAX_AGE, ageMs: 125_000, watchedSince: "2024-11-30T21:00:00Z", lastPingAt: null, signal: null });
});

test("a ping passes with its age and is due max-age later; a missed one fails", async (t) => {
  const { clock, check, observe, ping } = lab(t);
  await observe();
  await clock.advance(30_000);
  ping();
  const pinged = clock.now();
  await clock.advance(12_000);
  const fresh = await observe();
  assert.equal(fresh.ok, true);
  assert.equal(fresh.summary, "Heartbeat received 12s ago");
  assert.equal(check.dueAt(), pinged + MAX_AGE + 1);
  assert.deepEqual(fresh.evidence, { maxAgeMs: MAX_AGE, ageMs: 12_000, watchedSince: "2024-11-30T21:00:00Z", lastPingAt: "2024-11-30T21:00:30Z", signal: "success" });
  await clock.advance(MAX_AGE - 12_000 + 1);
  const missed = await observe();
  assert.equal(missed.ok, false);
  assert.equal(missed.summary, "No heartbeat for 2m (max-age 2m)");
  assert.equal(missed.evidence.ageMs, MAX_AGE + 1);
});

test("start and exit code 0 are signs of life, as a plain ping is", async (t) => {
  const { clock, observe, ping } = lab(t);
  for (const signal of [{ kind: "start" }, { kind: "exit", exitCode: 0 }] as const) {
    await clock.advance(100_000);
    ping(signal);
    await clock.advance(1000);
    const observation = await observe();
    assert.equal(observation.ok, true, signal.kind);
    assert.equal(observation.summary, "Heartbeat received 1s ago");
  }
});

test("a fail ping fails the heartbeat however fresh, until a success, start or 0 follows", async (t) => {
  const { clock, check, observe, ping } = lab(t);
  await clock.advance(1000);
  ping({ kind: "fail" });
  await clock.advance(3000);
  const failed = await observe();
  assert.equal(failed.ok, false);
  assert.equal(failed.summary, '"bot" reported failure at 2024-11-30T21:00:01Z (3s ago)');
  assert.equal(check.dueAt(), null);
  assert.equal(failed.evidence.signal, "fail");
  await clock.advance(MAX_AGE);
  assert.equal((await observe()).summary, '"bot" reported failure at 2024-11-30T21:00:01Z (2m3s ago)', "a failure does not turn into staleness");
  for (const signal of [{ kind: "success" }, { kind: "start" }, { kind: "exit", exitCode: 0 }] as const) {
    ping({ kind: "fail" });
    assert.equal((await observe()).ok, false);
    ping(signal);
    assert.equal((await observe()).ok, true, signal.kind);
  }
});

test("a nonzero exit code fails the heartbeat naming the code", async (t) => {
  const { observe, ping } = lab(t);
  ping({ kind: "exit", exitCode: 3 });
  const failed = await observe();
  assert.equal(failed.ok, false);
  assert.equal(failed.summary, '"bot" reported exit code 3 at 2024-11-30T21:00:00Z (0ms ago)');
  assert.deepEqual(failed.evidence, { maxAgeMs: MAX_AGE, ageMs: 0, watchedSince: "2024-11-30T21:00:00Z", lastPingAt: "2024-11-30T21:00:00Z", signal: "exit", exitCode: 3 });
});

test("a watch started over (the daemon started) gives a service pinged long ago max-age again", async (t) => {
  const { clock, observe, ping, store } = lab(t);
  ping();
  await clock.advance(3_600_000);
  assert.equal((await observe()).summary, "No heartbeat for 1h (max-age 2m)");
  store.watchHeartbeat("bot", clock.now());
  await clock.advance(10_000);
  const waiting = await observe();
  assert.equal(waiting.ok, true);
  assert.equal(waiting.summary, "Waiting for the first heartbeat since Lifeguard began watching 10s ago (max-age 2m)");
  assert.equal(waiting.evidence.lastPingAt, "2024-11-30T21:00:00Z");
});

test("a ping stamped ahead of the clock (stepped back) counts as age 0 and is noted", async (t) => {
  const { clock, observe, ping } = lab(t);
  await observe();
  ping();
  clock.jumpWallClock(-90_000);
  const observation = await observe();
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, "Heartbeat received 0ms ago");
  assert.equal(observation.evidence.futureMs, 90_000);
});

test("a ping of another service is not this service's heartbeat", async (t) => {
  const { clock, observe, store } = lab(t);
  await observe();
  await clock.advance(MAX_AGE + 1000);
  store.recordPing("other", { kind: "success" }, clock.now());
  assert.equal((await observe()).summary, "No heartbeat for 2m1s (max-age 2m)");
});
