import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOutputLog } from "./output-log.js";

function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-output-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const noError = (error: unknown): never => assert.fail(`unexpected output error: ${String(error)}`);
const read = (path: string): string | null => (existsSync(path) ? readFileSync(path, "utf8") : null);

test("a chunk that does not fit is cut after its last whole line, the rest goes to the fresh file", (t) => {
  const file = join(scratch(t), "out");
  const log = createOutputLog({ file, maxBytes: 10, keep: 1 }, noError);
  log.write(Buffer.from("abc\n"));
  log.write(Buffer.from("defg\nhijklm\n"));
  assert.equal(read(`${file}.1`), "abc\ndefg\n");
  assert.equal(read(file), "hijklm\n");
});

test("a line longer than maxBytes is split so that no file grows beyond it", (t) => {
  const file = join(scratch(t), "out");
  const log = createOutputLog({ file, maxBytes: 4, keep: 3 }, noError);
  log.write(Buffer.from("ab\n0123456789"));
  assert.deepEqual([read(`${file}.3`), read(`${file}.2`), read(`${file}.1`), read(file)], ["ab\n", "0123", "4567", "89"]);
});

test("with keep 0 the full file is dropped and output starts again", (t) => {
  const file = join(scratch(t), "out");
  const log = createOutputLog({ file, maxBytes: 6, keep: 0 }, noError);
  log.write(Buffer.from("one\n"));
  log.write(Buffer.from("two\n"));
  assert.equal(read(file), "two\n");
  assert.equal(existsSync(`${file}.1`), false);
});

test("a failing write is reported once per streak, and the output is still read", (t) => {
  const file = join(scratch(t), "missing-dir", "out");
  const errors: unknown[] = [];
  const log = createOutputLog({ file, maxBytes: 100, keep: 1 }, (error) => errors.push(error), () => 42);
  log.write(Buffer.from("lost\n"));
  log.write(Buffer.from("lost too\n"));
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /ENOENT/);
  assert.equal(log.lastLine(), "lost too");
  assert.equal(log.lastOutputAt(), 42);
});

test("without a file the output is only remembered for its last line", () => {
  const log = createOutputLog(null, noError);
  assert.equal(log.lastLine(), undefined);
  assert.equal(log.lastOutputAt(), null);
  log.write(Buffer.from("Traceback (most recent call last):\n  File \"main.py\"\nZeroDivisionError: division by zero\n\n"));
  assert.equal(log.lastLine(), "ZeroDivisionError: division by zero");
});

test("maxBytes must be a positive integer", () => {
  assert.throws(() => createOutputLog({ file: "/dev/null", maxBytes: 0, keep: 1 }, noError), /maxBytes must be a positive integer, got 0/);
});

test("the last line is found across chunks of every size, in bounded memory", () => {
  const log = createOutputLog(null, noError);
  log.write(Buffer.from("first li"));
  log.write(Buffer.from("ne\nsecond"));
  assert.equal(log.lastLine(), "second");
  log.write(Buffer.from(`${"x".repeat(10_000)}\nafter a big chunk\n`));
  assert.equal(log.lastLine(), "after a big chunk");
  log.write(Buffer.from("a"));
  log.write(Buffer.from("b\n"));
  assert.equal(log.lastLine(), "ab");
  log.write(Buffer.from(`tail of ${"y".repeat(5000)}`));
  assert.equal(log.lastLine(), "y".repeat(300));
});
