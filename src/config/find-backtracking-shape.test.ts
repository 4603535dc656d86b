import { test } from "node:test";
import assert from "node:assert/strict";
import { findBacktrackingShape } from "./find-backtracking-shape.js";

test("a repetition of a repetition is found, with the part as written", () => {
  const cases: Array<[string, string]> = [
    ["(a+)+$", "(a+)+"],
    ["(.*)*", "(.*)*"],
    ["^(\\w+\\s?)+$", "(\\w+\\s?)+"],
    ["([a-z]+)*x", "([a-z]+)*"],
    ["(?:x+x+)+y", "(?:x+x+)+"],
    ["(?<n>a*){2,}", "(?<n>a*){2,}"],
  ];
  for (const [source, fragment] of cases) assert.deepEqual(findBacktrackingShape(source), { kind: "nested-repetition", fragment }, source);
});

test("a repetition of alternatives that match the same text is found", () => {
  for (const [source, fragment] of [["(a|a)*", "(a|a)*"], ["(\\w|\\d)+$", "(\\w|\\d)+"], ["(a|aa)+b", "(a|aa)+"], ["(.|x)*", "(.|x)*"]]) {
    assert.deepEqual(findBacktrackingShape(source as string), { kind: "overlapping-alternatives", fragment }, source);
  }
});

test("patterns that backtrack only linearly are left alone", () => {
  for (const source of ["VIX|Position|Update", "^(\\d+\\.)+\\d+$", "(foo|bar)+", "(.*a){20}", "[(a+)+]", "\\(a+\\)+", "^\\[\\d{4}-\\d\\d .*\\] (ERROR|FATAL)\\b", "(a?)+", "a+b+c+", ""]) {
    assert.equal(findBacktrackingShape(source), undefined, source);
  }
});
