import { test } from "node:test";
import assert from "node:assert/strict";
import type { CheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { createCheck } from "./registry.js";

// The failure paths of the journal as a log, on this machine's own journal (journalctl, a unit
// that never logged). A unit that logs is watched under real journald in test/journal-source.test.ts.
const UNIT = "lifeguard-never-logged.service";
const common = { timeoutMs: 10_000, alertOnly: false, path: null, journal: UNIT } as const;
/** A store's check memory holding `recalled`; what the check remembers replaces it. */
function memoryHolding(recalled: string | null) {
  let kept = recalled;
  return { recall: () => kept, remember: (_service: string, _check: string, value: string) => void (kept = value), kept: () => kept };
}
const deps = (memory = memoryHolding(null)) => ({ clock: systemClock, runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats, memory });
const run = (config: CheckConfig, memory?: ReturnType<typeof memoryHolding>) => createCheck(config, deps(memory)).run(new AbortController().signal);

test("log-fresh on a unit's journal without entries fails and says so", async () => {
  const observation = await run({ kind: "log-fresh", id: "log-fresh", ...common, maxAgeMs: 60_000 });
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, `Journal of "${UNIT}" has no entries`);
  assert.equal(observation.evidence.ageMs, null);
});

const activity = { kind: "log-activity", id: "log-activity", ...common, lines: 100, match: "Position", min: 1, forbid: null, ignoreCase: false, timestamp: null } as const;

test("log-activity on a unit's journal without entries fails with what it read", async () => {
  const observation = await run({ ...activity, withinMs: null });
  assert.equal(observation.summary, `No recent activity: 0 entries matching Position in the last 100 entries of the journal of "${UNIT}"`);
  assert.equal(observation.evidence.entriesExamined, 0);
});

test("log-activity within on a cursor journalctl refuses fails with its reason, then starts again at the tail", async () => {
  const memory = memoryHolding(JSON.stringify({ mark: null, cursor: "not-a-cursor", lookedAt: 0, matches: [], recent: [], forbidden: null }));
  const observation = await run({ ...activity, withinMs: 60_000 }, memory);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, `Cannot read the journal of "${UNIT}": journalctl exited 1: Failed to seek to cursor: Invalid argument`);
  assert.equal((JSON.parse(memory.kept() ?? "{}") as { cursor: unknown }).cursor, null, "the refused cursor is forgotten");
  const next = await run({ ...activity, withinMs: 60_000 }, memory);
  assert.equal(next.summary, `No recent activity: 0 entries matching Position in the last 1m of the journal of "${UNIT}"`);
});
