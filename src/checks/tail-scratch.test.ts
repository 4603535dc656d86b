import { test } from "node:test";
import assert from "node:assert/strict";
import { createScratchPool } from "./tail-scratch.js";

const DEFAULTS = { chunkBytes: 64, lineBytes: 32 };

test("a scratch pool makes sets at least at its default sizes", () => {
  const set = createScratchPool(DEFAULTS).borrow(8, 4);
  assert.equal(set.chunk.length, 64);
  assert.equal(set.line.length, 32);
});

test("a scratch pool lends a set given back to the next read", () => {
  const pool = createScratchPool(DEFAULTS);
  const first = pool.borrow(64, 32);
  pool.giveBack(first);
  assert.equal(pool.borrow(16, 16), first);
});

test("a scratch pool lends overlapping reads sets of their own", () => {
  const pool = createScratchPool(DEFAULTS);
  const one = pool.borrow(64, 32);
  const two = pool.borrow(64, 32);
  assert.notEqual(one.chunk, two.chunk);
  assert.notEqual(one.line, two.line);
});

test("a scratch pool makes a bigger set for a bigger read and drops it after", () => {
  const pool = createScratchPool(DEFAULTS);
  const big = pool.borrow(128, 32);
  assert.equal(big.chunk.length, 128);
  pool.giveBack(big);
  const next = pool.borrow(64, 32);
  assert.notEqual(next, big);
  assert.equal(next.chunk.length, 64);
});

test("a scratch pool keeps two sets between reads", () => {
  const pool = createScratchPool(DEFAULTS);
  const sets = [pool.borrow(64, 32), pool.borrow(64, 32), pool.borrow(64, 32)];
  sets.forEach((set) => pool.giveBack(set));
  const again = [pool.borrow(64, 32), pool.borrow(64, 32), pool.borrow(64, 32)];
  assert.equal(again.filter((set) => sets.includes(set)).length, 2);
});
