import { test } from "node:test";
import assert from "node:assert/strict";
import { describePatternProblem } from "./describe-pattern-problem.js";

const LINEAR_ONLY = "Lifeguard matches in linear time (RE2), which rules out backreferences and lookaround";

test("common patterns compile", () => {
  for (const source of ["VIX|Position|Update", "^\\[\\d{4}-\\d\\d-\\d\\d .*\\] (ERROR|FATAL)\\b", "[^a-z]+$", "(?<year>\\d{4})", "(?i)traceback", "\\/api\\/", "(a+)+$", "[(?=]\\(\\?="]) {
    assert.equal(describePatternProblem(source), undefined, source);
  }
});

test("backreferences and lookaround are refused, naming the construct and why", () => {
  assert.equal(describePatternProblem("(\\w+) \\1"), `backreference "\\1" is not supported: ${LINEAR_ONLY}`);
  assert.equal(describePatternProblem("(?<w>\\w+) \\k<w>"), `backreference "\\k<" is not supported: ${LINEAR_ONLY}`);
  assert.equal(describePatternProblem("Error(?!: retrying)"), `lookahead "(?!" is not supported: ${LINEAR_ONLY}`);
  assert.equal(describePatternProblem("Update(?= VIX)"), `lookahead "(?=" is not supported: ${LINEAR_ONLY}`);
  assert.equal(describePatternProblem("(?<=VIX=)\\d+"), `lookbehind "(?<=" is not supported: ${LINEAR_ONLY}`);
  assert.equal(describePatternProblem("(?<!no )Update"), `lookbehind "(?<!" is not supported: ${LINEAR_ONLY}`);
});

test("a \\u escape is refused with the RE2 spelling to use instead", () => {
  assert.equal(describePatternProblem("caf\\u00e9"), 'the escape "\\u00e9" is not supported: write a code point as "\\x{00e9}"');
  assert.equal(describePatternProblem("caf\\x{00e9}"), undefined);
});

test("other syntax errors carry RE2's reason", () => {
  assert.equal(describePatternProblem("VIX|("), 'missing closing ")" in "VIX|("');
  assert.equal(describePatternProblem("[a-"), 'missing closing "]" in "[a-"');
  assert.equal(describePatternProblem("a)"), 'unexpected ")" in "a)"');
  assert.equal(describePatternProblem("a{1001}"), 'invalid repeat count in "{1001}"');
  assert.equal(describePatternProblem("x**"), 'invalid nested repetition operator in "**"');
  assert.equal(describePatternProblem("\\"), "trailing backslash at end of expression");
});
