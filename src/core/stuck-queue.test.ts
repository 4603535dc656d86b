import { test } from "node:test";
import assert from "node:assert/strict";
import { stuckQueue, type QueueSample } from "./stuck-queue.js";

/** Samples every 10 s from 0; `probing`: the kernel probes a shut window at every look. */
const samples = (tx: number[], rx: number[] = tx.map(() => 0), probing = true): QueueSample[] =>
  tx.map((value, i) => ({ at: i * 10_000, txQueue: value, rxQueue: rx[i] ?? 0, peerTakesNothing: probing }));

test("a send queue that stays full while the kernel probes the peer's shut window is stuck, since its first sample in the window", () => {
  assert.deepEqual(stuckQueue(samples([0, 2100, 2100, 2100, 2100]), 40_000, 30_000), { queue: "send", since: 10_000, bytes: 2100 });
});

test("a send queue full at every look while the peer takes data is a busy stream, not stuck", () => {
  assert.equal(stuckQueue(samples([2100, 2100, 2100, 2100], undefined, false), 30_000, 30_000), null);
});

test("a send queue that grows and never shrinks is stuck; one that shrank once in the window moved", () => {
  assert.deepEqual(stuckQueue(samples([500, 900, 1400, 2100]), 30_000, 30_000), { queue: "send", since: 0, bytes: 2100 });
  assert.equal(stuckQueue(samples([500, 900, 300, 2100]), 30_000, 30_000), null);
});

test("a queue that empties once in the window is not stuck", () => {
  assert.equal(stuckQueue(samples([800, 1200, 0, 900]), 30_000, 30_000), null);
});

test("a receive queue that keeps growing unread is stuck; read once, or full at every look (a polling reader), it is not", () => {
  assert.deepEqual(stuckQueue(samples([0, 0, 0, 0], [10, 20, 400, 900]), 30_000, 30_000), { queue: "receive", since: 0, bytes: 900 });
  assert.equal(stuckQueue(samples([0, 0, 0, 0], [10, 0, 400, 900]), 30_000, 30_000), null);
  assert.equal(stuckQueue(samples([0, 0, 0, 0], [65_536, 65_536, 65_536, 65_536]), 30_000, 30_000), null);
  assert.equal(stuckQueue(samples([0, 0, 0, 0], [30_000, 65_536, 65_536, 65_536]), 30_000, 30_000), null, "what the healthy echo bot showed");
});

test("a history younger than the window is not judged, however full the queue", () => {
  assert.equal(stuckQueue(samples([2100, 2100, 2100]), 20_000, 30_000), null);
  assert.equal(stuckQueue([], 20_000, 30_000), null);
});

test("only the window counts: a queue stuck now after moving before the window is stuck", () => {
  assert.deepEqual(stuckQueue(samples([0, 100, 0, 700, 700, 700, 700]), 60_000, 30_000), { queue: "send", since: 30_000, bytes: 700 });
});

test("samples after now are left out", () => {
  assert.deepEqual(stuckQueue(samples([700, 700, 700, 700, 0]), 30_000, 30_000), { queue: "send", since: 0, bytes: 700 });
});
