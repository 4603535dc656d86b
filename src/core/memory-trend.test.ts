import { test } from "node:test";
import assert from "node:assert/strict";
import { keepWindow, leastSquaresSlope, memoryTrend, MIN_TREND_SAMPLES, timeToLimit, type MemorySample } from "./memory-trend.js";
import { noise } from "../testing/noise.js";

const MiB = 1024 * 1024;
const SECOND = 1000;
/** One sample a second for `count` seconds, of `bytes(second)`. */
const series = (count: number, bytes: (second: number) => number): MemorySample[] => Array.from({ length: count }, (_, second) => ({ at: second * SECOND, bytes: bytes(second) }));

test("a steady leak rises, at its own slope", () => {
  const trend = memoryTrend(series(60, (second) => 100 * MiB + second * 2 * MiB));
  assert.ok(trend !== null);
  assert.equal(trend.rising, true);
  assert.ok(Math.abs(trend.slope * SECOND - 2 * MiB) < 1, `slope ${trend.slope * SECOND} bytes/s`);
});

test("a leak under noise still rises, near its slope", () => {
  const jitter = noise(7);
  const trend = memoryTrend(series(120, (second) => 100 * MiB + second * 3 * MiB + jitter() * 4 * MiB));
  assert.equal(trend?.rising, true);
  assert.ok(Math.abs((trend?.slope ?? 0) * SECOND - 3 * MiB) < 0.5 * MiB);
});

test("noise without a leak does not rise", () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    const jitter = noise(seed);
    const trend = memoryTrend(series(120, () => 200 * MiB + jitter() * 10 * MiB));
    assert.equal(trend?.rising, false, `seed ${seed}`);
  }
});

test("a garbage-collected sawtooth does not read as a leak, though each tooth climbs", () => {
  // Up 5 MiB a second for 8 seconds, then collected back down: troughs stay at 100 MiB.
  const trend = memoryTrend(series(120, (second) => 100 * MiB + (second % 8) * 5 * MiB));
  assert.equal(trend?.rising, false);
  assert.ok(Math.abs((trend?.slope ?? 0) * SECOND) < 0.5 * MiB, "the troughs are level");
});

test("a step after a reload is not a leak", () => {
  const trend = memoryTrend(series(60, (second) => (second < 30 ? 100 * MiB : 180 * MiB)));
  assert.equal(trend?.rising, false);
});

test("a leak on top of a sawtooth rises", () => {
  const trend = memoryTrend(series(120, (second) => 100 * MiB + second * MiB + (second % 8) * 5 * MiB));
  assert.equal(trend?.rising, true);
});

test("too few samples say nothing", () => {
  assert.equal(memoryTrend(series(MIN_TREND_SAMPLES - 1, (second) => second * MiB)), null);
  assert.notEqual(memoryTrend(series(MIN_TREND_SAMPLES, (second) => second * MiB)), null);
});

test("leastSquaresSlope fits a line and is 0 without a spread of times", () => {
  assert.equal(leastSquaresSlope([{ at: 0, bytes: 10 }, { at: 10, bytes: 30 }, { at: 20, bytes: 50 }]), 2);
  assert.equal(leastSquaresSlope([{ at: 5, bytes: 10 }, { at: 5, bytes: 30 }]), 0);
  assert.equal(leastSquaresSlope([{ at: 5, bytes: 10 }]), 0);
});

test("timeToLimit projects the time to the limit, 0 once reached, null when not rising", () => {
  assert.equal(timeToLimit(100 * MiB, 200 * MiB, MiB / SECOND), 100 * SECOND);
  assert.equal(timeToLimit(250 * MiB, 200 * MiB, MiB / SECOND), 0);
  assert.equal(timeToLimit(100 * MiB, 200 * MiB, 0), null);
  assert.equal(timeToLimit(100 * MiB, 200 * MiB, -1), null);
});

test("keepWindow keeps the samples within the window", () => {
  const kept = keepWindow(series(10, (second) => second), 9 * SECOND, 3 * SECOND);
  assert.deepEqual(kept.map((sample) => sample.bytes), [6, 7, 8, 9]);
});
