import { test } from "node:test";
import assert from "node:assert/strict";
import { cpuOver, cpuSince, keepSpan, type CpuSample } from "./cpu-usage.js";

/** One sample a second, `perSecond` ms of CPU each second, twice that of demand. */
const steady = (seconds: number, perSecond: number): CpuSample[] => Array.from({ length: seconds + 1 }, (_, second) => ({ at: second * 1000, cpuMs: second * perSecond, demandMs: second * perSecond * 2 }));

test("cpuOver gives a busy loop's 100 % of a core, and an idle service's 0 %, with their demand", () => {
  assert.deepEqual(cpuOver(steady(30, 1000), 10_000), { percent: 100, demandPercent: 200, spanMs: 10_000 });
  assert.deepEqual(cpuOver(steady(30, 0), 10_000), { percent: 0, demandPercent: 0, spanMs: 10_000 });
  assert.equal(cpuOver(steady(30, 5), 10_000)?.percent, 0.5);
});

test("cpuOver says nothing until the samples reach back over the whole span", () => {
  assert.equal(cpuOver(steady(9, 1000), 10_000), null);
  assert.equal(cpuOver([], 10_000), null);
  assert.notEqual(cpuOver(steady(10, 1000), 10_000), null);
});

test("cpuOver judges the last span only: a service that stopped working is seen at once", () => {
  const samples = [...steady(20, 500), ...Array.from({ length: 10 }, (_, index) => ({ at: 21_000 + index * 1000, cpuMs: 10_000, demandMs: 20_000 }))];
  assert.equal(cpuOver(samples, 5000)?.percent, 0);
});

test("keepSpan keeps the latest sample at least the span old, and every later one", () => {
  assert.deepEqual(keepSpan(steady(10, 1), 10_000, 3000).map((sample) => sample.at), [7000, 8000, 9000, 10_000]);
  assert.deepEqual(keepSpan(steady(2, 1), 2000, 3000).map((sample) => sample.at), [0, 1000, 2000]);
});

test("cpuSince adds each process's growth, a new process's whole time, and nothing for one gone", () => {
  const before = new Map([["10:1", 500], ["11:1", 200]]);
  const now = new Map([["10:1", 800], ["12:5", 50]]);
  assert.equal(cpuSince(before, now), 350);
  assert.equal(cpuSince(new Map([["10:1", 900]]), new Map([["10:1", 900]])), 0);
});
