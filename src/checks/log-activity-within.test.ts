import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogActivityCheckConfig } from "../config/types.js";
import { createFakeClock, type FakeClock } from "../testing/fake-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { createCheck } from "./registry.js";

const NOW = Date.UTC(2026, 11, 7, 14, 0, 0);
let dir = "";
let fileCount = 0;
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-within-"))));
after(() => rm(dir, { recursive: true, force: true }));

/** `2026-12-07T13:59:50Z Position update` for a line written `agoMs` before NOW. */
const line = (agoMs: number, text: string): string => `${new Date(NOW - agoMs).toISOString()} ${text}`;

async function writeLog(lines: string[]): Promise<string> {
  fileCount += 1;
  const path = join(dir, `bot-${fileCount}.log`);
  await writeFile(path, lines.map((l) => `${l}\n`).join(""));
  return path;
}

async function observe(path: string, options: Partial<LogActivityCheckConfig> = {}, clock: FakeClock = createFakeClock(NOW)) {
  const config: LogActivityCheckConfig = {
    kind: "log-activity", id: "log-activity", timeoutMs: 5000, alertOnly: false, journal: null,
    path, lines: 100_000, match: "Position", min: 1, forbid: null, ignoreCase: false, withinMs: 60_000, timestamp: "iso8601", ...options,
  };
  return createCheck(config, { clock, runner: unusedRunner, serviceName: "trader", heartbeats: unusedHeartbeats }).run(new AbortController().signal);
}

const alive = (count: number, fromAgoMs: number): string[] => Array.from({ length: count }, (_, i) => line(fromAgoMs - i * 100, "alive"));

test("within counts the matching lines whose timestamps fall in the window", async () => {
  const path = await writeLog([line(300_000, "Position update 1"), line(50_000, "Position update 2"), ...alive(3, 40_000), line(10_000, "Position update 3"), ...alive(5, 5_000)]);
  const observation = await observe(path);
  assert.equal(observation.ok, true, observation.summary);
  assert.equal(observation.summary, "Process appears responsive (2 matching lines in the last 1m, newest 10s ago)");
  assert.equal(observation.evidence.matches, 2);
  assert.equal(observation.evidence.newestMatchAt, new Date(NOW - 10_000).toISOString());
  assert.equal(observation.evidence.windowStart, new Date(NOW - 60_000).toISOString());
  assert.equal(observation.evidence.withinMs, 60_000);
  // The read stopped at the first line older than the window: the first "Position update" is not examined.
  assert.equal(observation.evidence.linesExamined, 10);
});

test("within fails a log full of alive lines without the work's lines, whatever their number", async () => {
  const path = await writeLog([line(120_000, "Position update"), ...alive(5000, 59_000)]);
  const observation = await observe(path, { min: 2 });
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, "No recent activity: 0 lines matching Position in the last 1m (min 2)");
  assert.equal(observation.evidence.matches, 0);
  assert.equal(observation.evidence.newestMatchAt, null);
});

test("lines replayed from the past do not count, however many match", async () => {
  const replayed = Array.from({ length: 50 }, (_, i) => line(86_400_000 - i * 1000, "Position update (replayed)"));
  const observation = await observe(await writeLog(replayed));
  assert.equal(observation.ok, false);
  assert.equal(observation.evidence.linesExamined, 0);
});

test("a step of the clock moves the window and nothing else: the lines' own times decide", async () => {
  const path = await writeLog([line(30_000, "Position update"), ...alive(3, 1000)]);
  const clock = createFakeClock(NOW);
  assert.equal((await observe(path, {}, clock)).ok, true);
  // Stepped back an hour: the lines are ahead of the clock, and still in the window.
  clock.jumpWallClock(-3_600_000);
  const back = await observe(path, {}, clock);
  assert.equal(back.ok, true, back.summary);
  assert.equal(back.summary, "Process appears responsive (1 matching line in the last 1m, newest 0ms ago)");
  // Stepped forward an hour: the lines say they are an hour old, and so they are judged.
  clock.jumpWallClock(7_200_000);
  assert.equal((await observe(path, {}, clock)).summary, "No recent activity: 0 lines matching Position in the last 1m");
});

test("within says when the read reached its cap before the window's start", async () => {
  const path = await writeLog(alive(50, 10_000));
  const observation = await observe(path, { lines: 20 });
  assert.equal(observation.summary, "No recent activity: 0 lines matching Position in the last 1m; the read stopped at 20 lines before the window's start");
  assert.equal(observation.evidence.readCapReached, true);
});

test("lines without a timestamp never count but may be forbidden", async () => {
  const path = await writeLog([line(5000, "alive"), "Position update without a time", "Traceback (most recent call last):", line(1000, "alive")]);
  assert.equal((await observe(path)).evidence.undatedLines, 2);
  assert.equal((await observe(path)).ok, false);
  const forbidden = await observe(path, { forbid: "Traceback", match: "alive" });
  assert.equal(forbidden.summary, 'Forbidden pattern "Traceback" found in the last 1m: Traceback (most recent call last):');
  // A Traceback before the window is not this window's.
  assert.equal((await observe(await writeLog(["2026-12-06 10:00:00 Traceback", line(1000, "Position")]), { forbid: "Traceback" })).ok, true);
});

test("within reads a pattern's timestamps in local time", async () => {
  const local = (agoMs: number): string => {
    const d = new Date(NOW - agoMs);
    const pad = (n: number): string => String(n).padStart(2, "0");
    return `[${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}]`;
  };
  const path = await writeLog([`${local(120_000)} Position old`, `${local(20_000)} Position new`, `${local(1000)} alive`]);
  const observation = await observe(path, { timestamp: "[%d/%m/%Y %H:%M:%S]" });
  assert.equal(observation.summary, "Process appears responsive (1 matching line in the last 1m, newest 20s ago)");
});

test("within fails clearly for a missing log", async () => {
  const missing = join(dir, "missing.log");
  assert.equal((await observe(missing)).summary, `Log file "${missing}" does not exist`);
});
