import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeResults } from "../bench/merge-results.js";
import { HAND_WRITTEN_MARK } from "../bench/report.js";

const committed = ["# Lifeguard benchmarks", "", "- Command: full", "", "## A", "", "a old", "", "## B", "", "b old", "", HAND_WRITTEN_MARK, "", "## Notes", "", "by hand", ""].join("\n");

test("mergeResults replaces the sections run again and keeps the header, the others and the hand-written part", () => {
  const partial = ["# Lifeguard benchmarks", "", "- Command: part", "", "## B", "", "b new", "", HAND_WRITTEN_MARK, "", "## Notes", "", "by hand", ""].join("\n");
  assert.equal(mergeResults(committed, partial), ["# Lifeguard benchmarks", "", "- Command: full", "", "## A", "", "a old", "", "## B", "", "b new", "", HAND_WRITTEN_MARK, "", "## Notes", "", "by hand", ""].join("\n"));
});

test("mergeResults puts a section RESULTS.md did not have after its last generated one", () => {
  const partial = ["# Lifeguard benchmarks", "", "- Command: part", "", "## C", "", "c new", ""].join("\n");
  assert.equal(mergeResults(committed, partial), ["# Lifeguard benchmarks", "", "- Command: full", "", "## A", "", "a old", "", "## B", "", "b old", "", "## C", "", "c new", "", HAND_WRITTEN_MARK, "", "## Notes", "", "by hand", ""].join("\n"));
});
