import { test } from "node:test";
import assert from "node:assert/strict";
import { rssMovement } from "../bench/memory-window-report.js";
import type { ProcUsage } from "../bench/proc-usage.js";
import type { Sample } from "../bench/sampling.js";

const MIB = 1024 * 1024;
const sample = (at: number, rssBytes: number): Sample => ({ at, usage: { rssBytes } as ProcUsage });

test("rssMovement takes the medians of the first and last minute and the slope per 10 minutes", () => {
  // 10 minutes, a sample a second, RSS growing 2 MiB over the window.
  const samples = Array.from({ length: 601 }, (_, i) => sample(i * 1000, 60 * MIB + (2 * MIB * i) / 600));
  const movement = rssMovement(samples);
  assert.equal(movement.n, 601);
  assert.equal(movement.firstMinute, samples[30]?.usage.rssBytes);
  assert.equal(movement.lastMinute, samples[570]?.usage.rssBytes);
  assert.ok(Math.abs(movement.slopePer10Min - 2 * MIB) < 1, String(movement.slopePer10Min));
});

test("rssMovement sees a sawtooth without growth as flat", () => {
  const samples = Array.from({ length: 601 }, (_, i) => sample(i * 1000, 60 * MIB + (i % 20) * 0.4 * MIB));
  // A collection every 20 s moves RSS by 7.6 MiB; the fit over the window stays within a few hundred KiB of flat.
  assert.ok(Math.abs(rssMovement(samples).slopePer10Min) < 0.5 * MIB, String(rssMovement(samples).slopePer10Min / MIB));
});

test("rssMovement takes half the window for each end of a window shorter than two minutes", () => {
  const samples = [sample(0, 10), sample(15_000, 20), sample(30_000, 30), sample(45_000, 40), sample(60_000, 50)];
  const movement = rssMovement(samples);
  assert.equal(movement.firstMinute, 20);
  assert.equal(movement.lastMinute, 40);
});
