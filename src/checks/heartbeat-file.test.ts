import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HeartbeatCheckConfig } from "../config/types.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { createCheck } from "./registry.js";

let dir = "";
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-heartbeat-file-"))));
after(() => rm(dir, { recursive: true, force: true }));

/** One run of a heartbeat check on `file` touched `touchedAgoMs` ago; no store is read. */
async function observe(file: string, touchedAgoMs?: number) {
  const clock = createFakeClock();
  if (touchedAgoMs !== undefined) {
    const mtime = (clock.now() - touchedAgoMs) / 1000;
    await utimes(file, mtime, mtime);
  }
  const config: HeartbeatCheckConfig = { kind: "heartbeat", id: "heartbeat", timeoutMs: 5000, alertOnly: false, maxAgeMs: 120_000, file };
  const check = createCheck(config, { clock, runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats });
  return { observation: await check.run(new AbortController().signal), clock, check };
}

async function touch(name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, "");
  return path;
}

test("a heartbeat file touched within max-age passes and is due max-age after the touch", async () => {
  const file = await touch("alive");
  const { observation, clock, check } = await observe(file, 12_000);
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, "Heartbeat file touched 12s ago");
  assert.equal(check.dueAt(), clock.now() - 12_000 + 120_000 + 1);
  assert.deepEqual(observation.evidence, { path: file, ageMs: 12_000, mtime: new Date(clock.now() - 12_000).toISOString(), size: 0, maxAgeMs: 120_000 });
});

test("a heartbeat file not touched within max-age fails", async () => {
  const file = await touch("stale");
  const { observation, check } = await observe(file, 125_000);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, "Heartbeat file is stale: last touched 2m5s ago (max-age 2m)");
  assert.equal(check.dueAt(), null);
});

test("a missing heartbeat file, or a directory, fails naming it as a heartbeat file", async () => {
  const missing = join(dir, "nowhere", "alive");
  const gone = await observe(missing);
  assert.equal(gone.observation.ok, false);
  assert.equal(gone.observation.summary, `Heartbeat file "${missing}" does not exist`);
  assert.equal(gone.observation.evidence.code, "ENOENT");
  const folder = join(dir, "a-directory");
  await mkdir(folder);
  assert.equal((await observe(folder)).observation.summary, `Heartbeat file "${folder}" is a directory`);
});

test("a heartbeat file touched in the future (the clock stepped back) counts as age 0", async () => {
  const file = await touch("future");
  const { observation } = await observe(file, -30_000);
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, "Heartbeat file touched 0ms ago");
  assert.equal(observation.evidence.futureMtimeMs, 30_000);
});
