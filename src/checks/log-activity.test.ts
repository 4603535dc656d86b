import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogActivityCheckConfig } from "../config/types.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { createCheck } from "./registry.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";

let dir = "";
let fileCount = 0;
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-activity-"))));
after(() => rm(dir, { recursive: true, force: true }));


async function writeLog(lines: string[]): Promise<string> {
  fileCount += 1;
  const path = join(dir, `bot-${fileCount}.log`);
  await writeFile(path, lines.map((line) => `${line}\n`).join(""));
  return path;
}

async function observe(path: string, options: Partial<LogActivityCheckConfig> = {}) {
  const config: LogActivityCheckConfig = {
    kind: "log-activity", id: "log-activity", timeoutMs: 5000, alertOnly: false, journal: null,
    path, lines: 100, match: "VIX|Position|Update", min: 1, forbid: null, ignoreCase: false, withinMs: null, timestamp: null, ...options,
  };
  return createCheck(config, { clock: createFakeClock(), runner: unusedRunner, serviceName: "gemini-trader", heartbeats: unusedHeartbeats }).run(new AbortController().signal);
}

const filler = (count: number): string[] => Array.from({ length: count }, (_, i) => `[21:00:${i}] heartbeat ${i}`);
const updates = (count: number): string[] => Array.from({ length: count }, (_, i) => `[21:01:${i}] Update VIX=${i}`);

test("log-activity counts matching lines in the tail", async () => {
  const path = await writeLog([...updates(50), ...filler(77), ...updates(23)]);
  const observation = await observe(path);
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, "Process appears responsive (23 recent entries)");
  assert.equal(observation.evidence.linesExamined, 100);
  assert.equal(observation.evidence.matches, 23);
  assert.deepEqual(observation.evidence.recent, updates(23).slice(-5));
});

test("log-activity fails when no line in the tail matches", async () => {
  const path = await writeLog([...updates(10), ...filler(100)]);
  const observation = await observe(path);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, "No recent activity: 0 lines matching VIX|Position|Update in last 100");
  assert.deepEqual(observation.evidence.recent, []);
});

test("log-activity fails below min and names min", async () => {
  const path = await writeLog([...filler(50), ...updates(2)]);
  const observation = await observe(path, { match: "Update", min: 3 });
  assert.equal(observation.summary, "No recent activity: 2 lines matching Update in last 100 (min 3)");
  const single = await observe(await writeLog([...filler(5), ...updates(1)]), { match: "Update", min: 2 });
  assert.equal(single.summary, "No recent activity: 1 line matching Update in last 100 (min 2)");
});

test("log-activity fails on a forbidden pattern in the tail and shows the line", async () => {
  const path = await writeLog([...updates(30), "Traceback (most recent call last):", '  File "main.py", line 3', "ValueError: bad", ...updates(3)]);
  const observation = await observe(path, { forbid: "Traceback" });
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, 'Forbidden pattern "Traceback" found in last 100 lines: Traceback (most recent call last):');
  assert.equal(observation.evidence.forbidden, "Traceback (most recent call last):");
  assert.equal((await observe(path, { forbid: "Traceback", lines: 3 })).ok, true);
});

test("log-activity shortens long lines in its summary and evidence", async () => {
  const long = `Traceback ${"y".repeat(5000)}`;
  const observation = await observe(await writeLog([`Update ${"z".repeat(5000)}`, long]), { forbid: "Traceback" });
  assert.equal(observation.summary, `Forbidden pattern "Traceback" found in last 100 lines: ${long.slice(0, 199)}…`);
  assert.equal((observation.evidence.forbidden as string).length, 200);
  assert.equal((observation.evidence.recent as string[])[0]?.length, 200);
});

test("log-activity ignores case when asked", async () => {
  const path = await writeLog(["update vix=1", "position closed", "TRACEBACK"]);
  assert.equal((await observe(path)).ok, false);
  assert.equal((await observe(path, { ignoreCase: true })).summary, "Process appears responsive (2 recent entries)");
  assert.equal((await observe(path, { forbid: "traceback", ignoreCase: true })).ok, false);
  assert.equal((await observe(path, { forbid: "traceback", match: "update" })).ok, true);
});

test("log-activity examines what there is in a short or empty log", async () => {
  assert.equal((await observe(await writeLog(["Update 1"]))).summary, "Process appears responsive (1 recent entry)");
  const empty = await observe(await writeLog([]));
  assert.equal(empty.summary, "No recent activity: 0 lines matching VIX|Position|Update in last 100");
  assert.equal(empty.evidence.linesExamined, 0);
});

test("log-activity still matches a line after a 20 MiB line", async () => {
  const path = await writeLog([...filler(3), `Position ${"x".repeat(20 * 1024 * 1024)}`, "Update VIX=1"]);
  const observation = await observe(path);
  assert.equal(observation.summary, "Process appears responsive (2 recent entries)");
  assert.match((observation.evidence.recent as string[])[0] ?? "", /^Position x{190}/);
});

test("log-activity fails clearly for a missing log or a directory", async () => {
  const missing = join(dir, "missing.log");
  assert.equal((await observe(missing)).summary, `Log file "${missing}" does not exist`);
  const directory = join(dir, "a-directory");
  await mkdir(directory);
  assert.equal((await observe(directory)).summary, `Log file "${directory}" is a directory`);
});

test("log-activity reports an invalid pattern instead of throwing", async () => {
  const observation = await observe(await writeLog(["Update"]), { match: "(unclosed" });
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, 'Cannot run check "log-activity" as its match pattern "(unclosed" is invalid');
  assert.equal(observation.cause, "error parsing regexp: missing closing ): `(unclosed`");
});

test("log-activity matches in linear time: a pattern that backtracks exponentially elsewhere passes over adversarial lines", async () => {
  // "(a+)+$" against 40 "a"s and a "b" takes a backtracking engine about 2^40 steps; RE2 reads the line once.
  const adversarial = Array.from({ length: 1000 }, (_, i) => `${"a".repeat(40 + (i % 7))}b`);
  const path = await writeLog([...adversarial, "a".repeat(60_000) + "b", "aaaa"]);
  const observation = await observe(path, { match: "(a+)+$", forbid: "(x|x)*y", lines: 2000 });
  assert.equal(observation.ok, true, observation.summary);
  assert.equal(observation.summary, "Process appears responsive (1 recent entry)");
});

test("log-activity keeps the options users expect: ignore-case, alternation, classes, anchors and groups", async () => {
  const path = await writeLog(["[21:00:01] position OPENED btc", "[21:00:02] Heartbeat", "Traceback (most recent call last):"]);
  assert.equal((await observe(path, { match: "^\\[\\d{2}:\\d{2}:\\d{2}\\] (?:POSITION|vix) opened\\b", ignoreCase: true })).summary, "Process appears responsive (1 recent entry)");
  assert.equal((await observe(path, { match: "POSITION" })).ok, false, "case matters without ignore-case");
  assert.match((await observe(path, { match: "Heartbeat$", forbid: "^Traceback" })).summary, /^Forbidden pattern "\^Traceback" found in last 100 lines: Traceback/);
});
