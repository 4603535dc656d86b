import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rename, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckMemory } from "../core/check-memory.js";
import type { Check } from "../core/check.js";
import type { LogActivityCheckConfig } from "../config/types.js";
import { createFakeClock, type FakeClock } from "../testing/fake-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { createCheck } from "./registry.js";

const START = Date.UTC(2026, 11, 7, 14, 0, 0);
let dir = "";
let fileCount = 0;
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-tracked-"))));
after(() => rm(dir, { recursive: true, force: true }));

/** A store's check memory, in a map: what two `lifeguard check` processes share. */
function mapMemory(): CheckMemory & { kept: Map<string, string> } {
  const kept = new Map<string, string>();
  return { kept, recall: (service, check) => kept.get(`${service}/${check}`) ?? null, remember: (service, check, value) => void kept.set(`${service}/${check}`, value) };
}

async function newLog(lines: string[], mtime: number): Promise<string> {
  fileCount += 1;
  const path = join(dir, `bot-${fileCount}.log`);
  await writeFile(path, lines.map((line) => `${line}\n`).join(""));
  await utimes(path, mtime / 1000, mtime / 1000);
  return path;
}

async function append(path: string, lines: string[], mtime: number): Promise<void> {
  await appendFile(path, lines.map((line) => `${line}\n`).join(""));
  await utimes(path, mtime / 1000, mtime / 1000);
}

function tracked(path: string, clock: FakeClock, memory: CheckMemory, options: Partial<LogActivityCheckConfig> = {}): Check {
  const config: LogActivityCheckConfig = {
    kind: "log-activity", id: "log-activity", timeoutMs: 5000, alertOnly: false, journal: null,
    path, lines: 1000, match: "Position", min: 1, forbid: null, ignoreCase: false, withinMs: 10_000, timestamp: null, ...options,
  };
  return createCheck(config, { clock, runner: unusedRunner, serviceName: "trader", heartbeats: unusedHeartbeats, memory });
}

const run = (check: Check) => check.run(new AbortController().signal);
const alive = (count: number): string[] => Array.from({ length: count }, (_, i) => `alive ${i}`);

test("in the daemon, matching lines count from when they were first seen, and alive lines do not", async () => {
  const clock = createFakeClock(START);
  const memory = mapMemory();
  const path = await newLog(["Position update 1", ...alive(3)], START - 2000);
  const check = tracked(path, clock, memory);
  const stop = check.follow?.(() => undefined, () => undefined);
  // The lines there at the first look are dated at the file's last write.
  const first = await run(check);
  assert.equal(first.summary, "Process appears responsive (1 matching line in the last 10s, newest seen 2s ago)");
  assert.equal(first.evidence.newestMatchAt, new Date(START - 2000).toISOString());
  await clock.advance(5000);
  await append(path, ["Position update 2", ...alive(2)], START + 4000);
  const second = await run(check);
  assert.equal(second.summary, "Process appears responsive (2 matching lines in the last 10s, newest seen 1s ago)");
  assert.equal(second.evidence.linesRead, 3, "only the new lines are read");
  // Alive lines only, for longer than the window: nothing matching in it any more.
  for (let i = 0; i < 3; i += 1) {
    await clock.advance(5000);
    await append(path, alive(100), clock.now());
    await run(check);
  }
  const idle = await run(check);
  assert.equal(idle.ok, false);
  assert.equal(idle.summary, "No recent activity: 0 lines matching Position in the last 10s");
  assert.equal(idle.evidence.datedBy, "first seen");
  assert.equal(memory.kept.size, 0, "the daemon writes nothing to the store");
  stop?.();
});

test("lifeguard check keeps its place in the store: the next run reads only the new lines", async () => {
  const clock = createFakeClock(START);
  const memory = mapMemory();
  const path = await newLog(["Position update 1", ...alive(50)], START - 1000);
  assert.equal((await run(tracked(path, clock, memory))).evidence.linesRead, 51);
  assert.equal(memory.kept.size, 1);
  await clock.advance(30_000);
  await append(path, alive(4), START + 29_000);
  // Another process: it starts from what the store kept.
  const next = await run(tracked(path, clock, memory));
  assert.equal(next.evidence.linesRead, 4);
  assert.equal(next.summary, "No recent activity: 0 lines matching Position in the last 10s");
  await clock.advance(500);
  await append(path, ["Position update 2"], START + 30_500);
  assert.equal((await run(tracked(path, clock, memory))).summary, "Process appears responsive (1 matching line in the last 10s, newest seen 0ms ago)");
});

test("a rotated log is read from its start, and a forbidden line fails while it is in the window", async () => {
  const clock = createFakeClock(START);
  const memory = mapMemory();
  const path = await newLog(["Position update 1"], START);
  const check = tracked(path, clock, memory, { forbid: "Traceback" });
  assert.equal((await run(check)).ok, true);
  await rename(path, `${path}.1`);
  await clock.advance(2000);
  await writeFile(path, "Traceback (most recent call last):\nPosition update 2\n");
  await utimes(path, (START + 2000) / 1000, (START + 2000) / 1000);
  const rotated = await run(check);
  assert.equal(rotated.evidence.newFile, true);
  assert.equal(rotated.summary, 'Forbidden pattern "Traceback" found in the last 10s: Traceback (most recent call last):');
  await clock.advance(11_000);
  await append(path, ["Position update 3"], START + 13_000);
  assert.equal((await run(check)).ok, true, "the Traceback left the window");
});

test("more new lines than `lines` since the last look: the evidence says the older ones were not read", async () => {
  const clock = createFakeClock(START);
  const path = await newLog(["Position update 1"], START);
  const check = tracked(path, clock, mapMemory(), { lines: 10 });
  await run(check);
  await clock.advance(1000);
  await append(path, ["Position update 2", ...alive(20)], START + 1000);
  const capped = await run(check);
  assert.equal(capped.evidence.readCapReached, true);
  assert.equal(capped.summary, "Process appears responsive (1 matching line in the last 10s, newest seen 1s ago; more than 10 new lines since the last look, the older ones were not read)");
});
