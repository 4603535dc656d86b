import { test } from "node:test";
import assert from "node:assert/strict";
import { createLineAssembler } from "./line-assembler.js";

test("a line assembler gives whole lines across chunks, without \\n or \\r\\n, and keeps the unfinished one", () => {
  const lines = createLineAssembler(100);
  assert.deepEqual(lines.push(Buffer.from("one\r\ntw")), ["one"]);
  assert.equal(lines.pendingBytes, 2);
  assert.deepEqual(lines.push(Buffer.from("o\n\nthree")), ["two", ""]);
  assert.equal(lines.flush(), "three");
  assert.equal(lines.flush(), undefined);
});

test("a line assembler reads only the given range of a reused buffer", () => {
  const lines = createLineAssembler(100);
  assert.deepEqual(lines.push(Buffer.from("xxab\ncd\nstale\n"), 2, 8), ["ab", "cd"]);
  assert.equal(lines.pendingBytes, 0);
});

test("a line assembler cuts a long line after its first bytes, never inside a character, and counts the rest", () => {
  const lines = createLineAssembler(5);
  assert.deepEqual(lines.push(Buffer.from("ééé")), []);
  assert.deepEqual(lines.push(Buffer.from("abc\nok\n")), ["éé… [5 bytes cut]", "ok"]);
  assert.deepEqual(lines.push(Buffer.alloc(1_000_000, 0x61)), []);
  assert.equal(lines.flush(), "aaaaa… [999995 bytes cut]");
});
