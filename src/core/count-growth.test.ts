import { test } from "node:test";
import assert from "node:assert/strict";
import { growthOver, type CountSample } from "./count-growth.js";
import { noise } from "../testing/noise.js";

const SECOND = 1000;
/** One look every `everyS` seconds for `count` looks, of `count(second)`. */
const series = (looks: number, count: (second: number) => number, everyS = 1): CountSample[] => Array.from({ length: looks }, (_, index) => ({ at: index * everyS * SECOND, count: count(index * everyS) }));

test("a count that grows steadily grows, with the low of each part of the window", () => {
  const growth = growthOver(series(61, (second) => 10 + second), 60 * SECOND);
  assert.deepEqual(growth, { lows: [10, 20, 30, 40, 50, 60], spanMs: 60 * SECOND });
});

test("a sawtooth that returns to its low does not grow, though each tooth climbs", () => {
  // Up one a second for 8 seconds (threads started for a batch of work), then back to 4.
  assert.equal(growthOver(series(121, (second) => 4 + (second % 8)), 120 * SECOND), null);
});

test("a step then flat does not grow: one part's low rises, the next stays", () => {
  assert.equal(growthOver(series(61, (second) => (second < 30 ? 20 : 35)), 60 * SECOND), null);
});

test("noise around a level does not grow", () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    const jitter = noise(seed);
    assert.equal(growthOver(series(121, () => 50 + Math.round(jitter() * 5)), 120 * SECOND), null, `seed ${seed}`);
  }
});

test("growth under noise still grows", () => {
  const jitter = noise(3);
  const growth = growthOver(series(121, (second) => 50 + second + Math.round(jitter() * 3)), 120 * SECOND);
  assert.equal(growth?.lows.length, 6);
});

test("growth that stopped inside the window, then fell back, does not grow", () => {
  assert.equal(growthOver(series(61, (second) => (second < 50 ? 10 + second : 12)), 60 * SECOND), null);
});

test("no verdict until the samples reach a whole window back, or with too few in it", () => {
  const rising = series(30, (second) => second);
  assert.equal(growthOver(rising, 60 * SECOND), null, "29s seen of a 60s window");
  assert.notEqual(growthOver(rising, 20 * SECOND), null);
  assert.equal(growthOver(series(5, (second) => second * 10, 15), 60 * SECOND), null, "5 looks: too few to tell");
  assert.equal(growthOver([], 60 * SECOND), null);
});

test("only the last window is judged: growth before it, level since, does not grow", () => {
  assert.equal(growthOver(series(121, (second) => Math.min(second, 60)), 60 * SECOND), null);
});
