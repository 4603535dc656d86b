import { test } from "node:test";
import assert from "node:assert/strict";
import { createMemoryLogger } from "../core/logger.js";
import { excuseLostPings } from "./excuse-lost-pings.js";

const NOW = Date.UTC(2024, 10, 30, 21, 0, 0);

function lostPings(services: string[] = ["bot", "cron"]) {
  let now = NOW;
  const watches: Array<[string, number]> = [];
  const logger = createMemoryLogger();
  const excuse = excuseLostPings(services, { store: { watchHeartbeat: (service, at) => void watches.push([service, at]) }, logger, now: () => now, maxConnections: 64 });
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
