import { test } from "node:test";
import assert from "node:assert/strict";
import { createMemoryLogger } from "../core/logger.js";
import type { Heartbeat, Ping } from "../core/heartbeat.js";
import { excuseLostPings } from "./excuse-lost-pings.js";

const NOW = Date.UTC(2024, 10, 30, 21, 0, 0);

const MAX_AGE_MS = 60_000;

/** Services that pinged (success) at `NOW`, unless `pings` says otherwise. */
function lostPings(services: string[] = ["bot", "cron"], pings: Record<string, Ping | null> = {}) {
  let now = NOW;
  const watches: Array<[string, number]> = [];
  const logger = createMemoryLogger();
  const readHeartbeat = (service: string): Heartbeat => ({ watchedSince: NOW - MAX_AGE_MS, lastPing: service in pings ? (pings[service] ?? null) : { at: NOW, signal: { kind: "success" } } });
  const store = { watchHeartbeat: (service: string, at: number) => void watches.push([service, at]), readHeartbeat };
  const excuse = excuseLostPings(services.map((name) => ({ name, maxAgeMs: MAX_AGE_MS })), { store, logger, now: () => now, maxConnections: 64 });
  return { excuse, watches, logger, advance: (ms: number) => void (now += ms) };
}

test("a shed starts every heartbeat-by-ping's watch over at once: a ping lost meanwhile is not missed", () => {
  const { excuse, watches, logger } = lostPings();
  excuse.shed();
  assert.deepEqual(watches, [["bot", NOW], ["cron", NOW]]);
  assert.deepEqual(logger.entries.map((entry) => [entry.tag, entry.message]), [
    ["WARN", "Shed 1 HTTP connection(s) to make room for new ones (at most 64 open): a ping lost meanwhile is not held against its service"],
  ]);
  excuse.stop();
});

test("a burst of sheds writes at most once a second, and the last shed of the burst always", () => {
  const { excuse, watches, advance } = lostPings(["bot"]);
  excuse.shed();
  for (let index = 0; index < 50; index += 1) {
    advance(10);
    excuse.shed();
  }
  assert.deepEqual(watches, [["bot", NOW]], "the rest waits for the second to pass");
  excuse.stop();
  assert.deepEqual(watches, [["bot", NOW], ["bot", NOW + 500]], "stopping writes the last shed");
  excuse.shed();
  assert.equal(watches.length, 2, "nothing is written once stopped");
});

test("the log hears of shedding at most once a minute, with the count since", () => {
  const { excuse, logger, advance } = lostPings([]);
  for (let index = 0; index < 3; index += 1) {
    excuse.shed();
    advance(30_000);
  }
  assert.deepEqual(logger.entries.map((entry) => entry.message), [
    "Shed 1 HTTP connection(s) to make room for new ones (at most 64 open)",
    "Shed 2 HTTP connection(s) to make room for new ones (at most 64 open)",
  ]);
  excuse.stop();
});

test("a shed excuses only a service that was alive: a flood buys a dead bot at most one more max-age", () => {
  const pings: Record<string, Ping | null> = {
    quiet: { at: NOW - MAX_AGE_MS - 1, signal: { kind: "success" } }, // its pings stopped over a max-age ago
    failed: { at: NOW, signal: { kind: "fail" } },
    never: null,
  };
  const { excuse, watches, advance } = lostPings(["alive", "quiet", "failed", "never"], pings);
  excuse.shed();
  assert.deepEqual(watches, [["alive", NOW]]);
  // A flood that goes on: once the last real ping is a max-age old, nothing excuses it any more.
  advance(MAX_AGE_MS);
  excuse.shed();
  assert.deepEqual(watches, [["alive", NOW]]);
  excuse.stop();
});
