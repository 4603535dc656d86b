import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogFreshCheckConfig } from "../config/types.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { createCheck } from "./registry.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";

let dir = "";
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-fresh-"))));
after(() => rm(dir, { recursive: true, force: true }));


async function observe(path: string, options: { mtimeAgoMs?: number } = {}) {
  const clock = createFakeClock();
  if (options.mtimeAgoMs !== undefined) {
    const mtime = (clock.now() - options.mtimeAgoMs) / 1000;
    await utimes(path, mtime, mtime);
  }
  const config: LogFreshCheckConfig = { kind: "log-fresh", id: "log-fresh", timeoutMs: 5000, alertOnly: false, path, journal: null, maxAgeMs: 300_000 };
  const check = createCheck(config, { clock, runner: unusedRunner, serviceName: "gemini-trader", heartbeats: unusedHeartbeats });
  const observation = await check.run(new AbortController().signal);
  return { observation, clock, check };
}

async function writeLog(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

test("log-fresh passes for a log written within max-age", async () => {
  const path = await writeLog("fresh.log", "hello\n");
  const { observation, clock, check } = await observe(path, { mtimeAgoMs: 45_000 });
  assert.equal(observation.ok, true);
  assert.equal(check.dueAt(), clock.now() - 45_000 + 300_000 + 1, "stale 1 ms past max-age after the write");
  assert.equal(observation.summary, "Log file is fresh (45s old)");
  assert.deepEqual(observation.evidence, {
    path, ageMs: 45_000, mtime: new Date(clock.now() - 45_000).toISOString(), size: 6, maxAgeMs: 300_000,
  });
  assert.equal(observation.check, "log-fresh");
  assert.equal(observation.at, clock.now());
});

test("log-fresh fails for a log older than max-age", async () => {
  const path = await writeLog("stale.log", "hello\n");
  const { observation, check } = await observe(path, { mtimeAgoMs: 372_000 });
  assert.equal(observation.ok, false);
  assert.equal(check.dueAt(), null, "a failing check has no deadline to wait for");
  assert.equal(observation.summary, "Log file is stale: last written 6m12s ago (max-age 5m)");
  assert.equal(observation.evidence.ageMs, 372_000);
});

test("log-fresh counts an mtime in the future as age 0 and notes it", async () => {
  const path = await writeLog("future.log", "hello\n");
  const { observation } = await observe(path, { mtimeAgoMs: -90_000 });
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, "Log file is fresh (0ms old)");
  assert.equal(observation.evidence.ageMs, 0);
  assert.equal(observation.evidence.futureMtimeMs, 90_000);
});

test("log-fresh fails clearly for a missing log", async () => {
  const path = join(dir, "nowhere", "missing.log");
  const { observation } = await observe(path);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, `Log file "${path}" does not exist`);
  assert.equal(observation.evidence.code, "ENOENT");
  assert.match(observation.cause ?? "", /ENOENT/);
});

test("log-fresh fails clearly for a directory", async () => {
  const path = join(dir, "a-directory");
  await mkdir(path);
  const { observation } = await observe(path);
  assert.equal(observation.summary, `Log file "${path}" is a directory`);
});

test("after a start, an older log is judged by the time since that start: fresh until max-age has passed, then stale", async () => {
  const path = await writeLog("previous-run.log", "the previous run's last line\n");
  const { clock, check } = await observe(path, { mtimeAgoMs: 11 * 60_000 });
  await check.markStart?.(clock.now());
  const fresh = await check.run(new AbortController().signal);
  assert.equal(fresh.ok, true, "the previous run's output is not this run's silence");
  assert.equal(fresh.summary, "Log file is not written yet since the start 0ms ago (max-age 5m; last written 11m ago, before it)");
  assert.equal(check.dueAt(), clock.now() + 300_000 + 1, "stale 1 ms past max-age after the start");
  clock.advance(300_001);
  const stale = await check.run(new AbortController().signal);
  assert.equal(stale.ok, false, "a run that writes nothing is caught max-age after its start");
  assert.equal(stale.summary, "Log file is stale: not written since the start 5m ago (max-age 5m; last written 16m ago, before it)");
  // The new run writes: its age counts from its own write again.
  const written = (clock.now() - 1000) / 1000;
  await utimes(path, written, written);
  const after = await check.run(new AbortController().signal);
  assert.equal(after.summary, "Log file is fresh (1s old)");
});

test("a log written after the start is judged by its own last write", async () => {
  const path = await writeLog("written-after-start.log", "line\n");
  const { clock, check } = await observe(path, { mtimeAgoMs: 0 });
  await check.markStart?.(clock.now() - 60_000);
  clock.advance(400_000);
  const observation = await check.run(new AbortController().signal);
  assert.equal(observation.summary, "Log file is stale: last written 6m40s ago (max-age 5m)");
});
