import { test } from "node:test";
import assert from "node:assert/strict";
import { currentBootId, readJournal } from "./read-journal.js";

// journalctl on this machine's own journal: a unit that never logged, and a cursor that is none.
// Reading a real unit's entries is proven under real journald in test/journal-source.test.ts.

test("a unit that never logged has no entries", async () => {
  const read = await readJournal({ unit: "lifeguard-never-logged.service", count: 5, timeoutMs: 10_000 });
  assert.deepEqual(read, { ok: true, entries: [] });
});

test("a cursor journalctl cannot seek to is a failed read that says why", async () => {
  const read = await readJournal({ unit: "lifeguard-never-logged.service", count: 5, afterCursor: "not-a-cursor", timeoutMs: 10_000 });
  assert.equal(read.ok, false);
  if (read.ok) return;
  assert.equal(read.problem, "journalctl exited 1: Failed to seek to cursor: Invalid argument");
  assert.deepEqual(read.result.argv.slice(-2), ["--after-cursor", "not-a-cursor"], "the cursor is an argument, never a shell word");
});

test("the boot id is written as the journal writes it: 32 hex digits", () => {
  assert.match(currentBootId(), /^[0-9a-f]{32}$/);
});
