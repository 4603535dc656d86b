import { test } from "node:test";
import assert from "node:assert/strict";
import { CHECK_FIRST_WINDOW_MS, DAEMON_STALE_MS, judgeWatch, type WatchRecord } from "./watch.js";

const T = 1_800_000_000_000;
const daemon = (overrides: Partial<WatchRecord> = {}): WatchRecord => ({
  service: "bot", mode: "daemon", pid: 42, startTime: 1000, bootId: "b", host: "pi", since: T, beatAt: T, previousBeatAt: null, stoppedAt: null, stopReason: null, url: null, ...overrides,
});
const check = (beatAt: number, previousBeatAt: number | null): WatchRecord => daemon({ mode: "check", since: beatAt, beatAt, previousBeatAt });
const alive = { alive: true };
const dead = { alive: false };

test("a service no Lifeguard ever watched is unwatched, since never", () => {
  assert.deepEqual(judgeWatch(null, dead, T), { kind: "unwatched", since: null, last: null, why: "no Lifeguard has watched it yet (`lifeguard run`, or `lifeguard check` from cron, watches it)" });
  // A command Lifeguard runs itself is watched by `lifeguard run` alone: `check` refuses it.
  assert.equal((judgeWatch(null, { ...dead, supervised: true }, T) as { why: string }).why, "no Lifeguard has watched it yet (`lifeguard run` starts and watches its command)");
});

test("a daemon that runs and beats watches; one that stopped beating is stalled from its last beat", () => {
  assert.equal(judgeWatch(daemon({ beatAt: T }), alive, T + DAEMON_STALE_MS).kind, "watched");
  assert.deepEqual(judgeWatch(daemon({ beatAt: T }), alive, T + DAEMON_STALE_MS + 1), { kind: "stalled", by: daemon(), since: T });
});

test("a daemon that stopped cleanly leaves its services unwatched since its stop, with the signal", () => {
  const record = daemon({ stoppedAt: T + 5000, stopReason: "SIGTERM" });
  assert.deepEqual(judgeWatch(record, dead, T + 9000), { kind: "unwatched", since: T + 5000, last: record, why: "Lifeguard (PID 42) stopped on SIGTERM" });
  // A stop is a stop even when the pid is alive again (reused by another process).
  assert.equal(judgeWatch(record, alive, T + 9000).kind, "unwatched");
});

test("a daemon that died without stopping (kill -9, OOM, a reboot) leaves them unwatched since its last beat", () => {
  const record = daemon({ beatAt: T + 30_000 });
  assert.deepEqual(judgeWatch(record, dead, T + 31_000), { kind: "unwatched", since: T + 30_000, last: record, why: "Lifeguard (PID 42) is gone without stopping (killed, or the machine restarted)" });
});

test("a check run watches for five minutes when its cadence is not known yet", () => {
  assert.equal(judgeWatch(check(T, null), dead, T + CHECK_FIRST_WINDOW_MS).kind, "watched");
  assert.equal(judgeWatch(check(T, null), dead, T + CHECK_FIRST_WINDOW_MS + 1).kind, "unwatched");
});

test("a check watches until twice its cadence and a minute after its last run: cron every minute, a timer every hour", () => {
  const minutely = check(T, T - 60_000);
  assert.equal(judgeWatch(minutely, dead, T + 180_000).kind, "watched");
  assert.deepEqual(judgeWatch(minutely, dead, T + 180_001), { kind: "unwatched", since: T, last: minutely, why: "`lifeguard check` has not run since (is its cron job or timer still there?)" });
  const hourly = check(T, T - 3_600_000);
  assert.equal(judgeWatch(hourly, dead, T + 2 * 3_600_000).kind, "watched");
  assert.equal(judgeWatch(hourly, dead, T + 2 * 3_600_000 + 60_001).kind, "unwatched");
});
