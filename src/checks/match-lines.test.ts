import { test } from "node:test";
import assert from "node:assert/strict";
import { setImmediate as nextTurn } from "node:timers/promises";
import { compileLinePattern, filterLines, findLastLine, type LinePattern } from "./match-lines.js";

function compile(source: string, ignoreCase = false): LinePattern {
  const pattern = compileLinePattern(source, ignoreCase);
  assert.ok(!(pattern instanceof Error), String(pattern));
  return pattern;
}

const signal = new AbortController().signal;

test("a line pattern matches as users write JavaScript patterns: alternation, classes, anchors, quantifiers, groups", async () => {
  const cases: Array<[string, string, boolean]> = [
    ["VIX|Position|Update", "[21:00] Position opened", true],
    ["VIX|Position|Update", "[21:00] heartbeat", false],
    ["^\\[\\d{2}:\\d{2}\\] (?:ERROR|FATAL)\\b", "[21:00] ERROR broker", true],
    ["^\\[\\d{2}:\\d{2}\\] (?:ERROR|FATAL)\\b", "x [21:00] ERROR broker", false],
    ["Update$", "Update", true],
    ["Update$", "Updated", false],
    ["[^a-z ]{3,}", "price 97000", true],
    ["(?<year>\\d{4})-\\d\\d", "2024-11", true],
    ["a.c", "abc", true],
    ["\\/api\\/v1", "GET /api/v1/orders", true],
  ];
  for (const [source, line, expected] of cases) assert.equal(compile(source).test(line), expected, `${source} on ${line}`);
});

test("ignore-case applies to the whole pattern", async () => {
  assert.equal(compile("position|vix", true).test("POSITION"), true);
  assert.equal(compile("position|vix").test("POSITION"), false);
});

test("a pattern RE2 cannot compile comes back as an error, not thrown", async () => {
  const pattern = compileLinePattern("(a)\\1", false);
  assert.ok(pattern instanceof Error);
  assert.equal(pattern.message, "error parsing regexp: invalid escape sequence: `\\1`");
});

test("a pattern that backtracks exponentially elsewhere is matched in one pass: (a+)+$ on 40 a's and a b", async () => {
  // A backtracking engine takes about 2^40 steps on this line; the test's own timeout would end it.
  const pattern = compile("(a+)+$");
  const lines = [...Array.from({ length: 10_000 }, () => `${"a".repeat(40)}b`), `${"a".repeat(64 * 1024)}b`];
  assert.deepEqual(await filterLines(lines, pattern, { signal }), []);
  assert.equal(pattern.test(`${"a".repeat(64 * 1024)}`), true);
});

test("filterLines keeps the matching lines in order and findLastLine finds the newest", async () => {
  const pattern = compile("^Update");
  const lines = ["Update 1", "noise", "Update 2", "Update 3", "noise"];
  assert.deepEqual(await filterLines(lines, pattern, { signal }), ["Update 1", "Update 2", "Update 3"]);
  assert.equal(await findLastLine(lines, pattern, { signal }), "Update 3");
  assert.equal(await findLastLine(lines, compile("Traceback"), { signal }), undefined);
});

test("a scan yields to the event loop between slices, so other work runs in the middle of a long tail", async () => {
  const pattern = compile("x");
  const lines = Array.from({ length: 100 }, () => "a".repeat(100));
  const seen: string[] = [];
  let linesTested = 0;
  const counting: LinePattern = { test: (line) => (linesTested += 1, pattern.test(line)) };
  const other = nextTurn().then(() => seen.push(`other work after ${linesTested} lines`));
  await filterLines(lines, counting, { signal, sliceChars: 1000 });
  await other;
  assert.deepEqual(seen, ["other work after 10 lines"]);
});

test("a scan stops when its signal aborts: the check's timeout ends it", async () => {
  const controller = new AbortController();
  let linesTested = 0;
  const counting: LinePattern = { test: () => ((linesTested += 1) === 25 && controller.abort(new Error("timed out")), false) };
  const lines = Array.from({ length: 100 }, () => "a".repeat(100));
  await assert.rejects(filterLines(lines, counting, { signal: controller.signal, sliceChars: 1000 }), { name: "AbortError" });
  assert.equal(linesTested, 30, "the scan stops at the end of the slice in which the signal aborted");
});
