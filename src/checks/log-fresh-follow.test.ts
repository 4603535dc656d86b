import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check } from "../core/check.js";
import type { LogFreshCheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { waitFor } from "../testing/wait-for.js";
import { createCheck } from "./registry.js";

const SIGNAL = new AbortController().signal;
const WAIT = { timeoutMs: 5_000, intervalMs: 10 };

/** A followed log-fresh check of `path` (max-age 1 h), with what it told its loop. */
function follow(t: { after(fn: () => void): void }, path: string) {
  const config: LogFreshCheckConfig = { kind: "log-fresh", id: "log-fresh", timeoutMs: 5000, alertOnly: false, path, journal: null, maxAgeMs: 3_600_000 };
  const check = createCheck(config, { clock: systemClock, runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats });
  const told = { changes: 0, notices: [] as string[] };
  const stop = check.follow?.(() => void (told.changes += 1), (message) => void told.notices.push(message));
  assert.ok(stop !== undefined, "log-fresh can follow");
  t.after(stop);
  return { check, told };
}

/** Runs the check until its finding holds (the watch starts after a statfs of the directory). */
const holdsAfterRuns = (check: Check) => waitFor(async () => (await check.run(SIGNAL)).ok && (check.holdsFor?.() ?? 0) > 0, WAIT);

function scratch(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-follow-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("a followed fresh log holds without a stat through writes and truncation, until its deadline", async (t) => {
  const path = join(scratch(t), "bot.log");
  writeFileSync(path, "one\n");
  const { check, told } = follow(t, path);
  assert.equal(check.holdsFor?.(), 0, "nothing holds before the first look");
  assert.ok(await holdsAfterRuns(check));
  const held = check.holdsFor?.() ?? 0;
  assert.ok(held > 3_500_000 && held <= 3_600_001, `holds until mtime + max-age: ${held}`);
  appendFileSync(path, "two\n");
  truncateSync(path, 0);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok((check.holdsFor?.() ?? 0) > 0, "a write or a truncation only makes the log fresher");
  assert.equal(told.changes, 0, "a write tells the loop nothing");
  assert.deepEqual(told.notices, []);
});

test("a followed log renamed away by rotation tells the loop and holds again once looked at", async (t) => {
  const path = join(scratch(t), "bot.log");
  writeFileSync(path, "one\n");
  const { check, told } = follow(t, path);
  assert.ok(await holdsAfterRuns(check));
  renameSync(path, `${path}.1`);
  assert.ok(await waitFor(() => told.changes > 0, WAIT), "the rename told the loop");
  assert.equal(check.holdsFor?.(), 0, "the finding stands no more until looked at");
  const missing = await check.run(SIGNAL);
  assert.equal(missing.ok, false, missing.summary);
  assert.equal(check.holdsFor?.(), 0, "a failing finding never holds");
  writeFileSync(path, "new\n");
  assert.ok(await holdsAfterRuns(check), "the log made again (logrotate's create) is followed");
});

test("a followed log deleted and made again tells the loop each time", async (t) => {
  const path = join(scratch(t), "bot.log");
  writeFileSync(path, "one\n");
  const { check, told } = follow(t, path);
  assert.ok(await holdsAfterRuns(check));
  unlinkSync(path);
  assert.ok(await waitFor(() => told.changes > 0, WAIT));
  assert.equal((await check.run(SIGNAL)).ok, false);
  const before = told.changes;
  writeFileSync(path, "back\n");
  assert.ok(await waitFor(() => told.changes > before, WAIT), "the re-creation told the loop");
  assert.ok(await holdsAfterRuns(check));
});

test("a log whose directory cannot be watched is stat-ed every round, says so once, and is followed once it can be", async (t) => {
  const logs = join(scratch(t), "logs");
  const path = join(logs, "bot.log");
  const { check, told } = follow(t, path);
  assert.ok(await waitFor(() => told.notices.length > 0, WAIT));
  assert.deepEqual(told.notices, [`Cannot watch the directory of "${path}" (ENOENT): its age is read by stat every round until it can be`]);
  for (let round = 0; round < 3; round += 1) {
    assert.equal((await check.run(SIGNAL)).ok, false);
    assert.equal(check.holdsFor?.(), 0);
  }
  mkdirSync(logs);
  writeFileSync(path, "one\n");
  assert.ok(await holdsAfterRuns(check), "watched from the first look after the directory appeared");
  assert.equal(told.notices.length, 1, "said once");
});

test("a followed log's directory removed falls back to stat, and the new directory is followed", async (t) => {
  const logs = join(scratch(t), "logs");
  mkdirSync(logs);
  const path = join(logs, "bot.log");
  writeFileSync(path, "one\n");
  const { check, told } = follow(t, path);
  assert.ok(await holdsAfterRuns(check));
  rmSync(logs, { recursive: true });
  assert.ok(await waitFor(() => told.changes > 0, WAIT));
  assert.equal((await check.run(SIGNAL)).ok, false);
  mkdirSync(logs);
  writeFileSync(path, "two\n");
  assert.ok(await holdsAfterRuns(check), "watched again in the new directory");
});

test("lifeguard check's checks do not follow: a log-fresh check never holds unless followed", async (t) => {
  const path = join(scratch(t), "bot.log");
  writeFileSync(path, "one\n");
  const config: LogFreshCheckConfig = { kind: "log-fresh", id: "log-fresh", timeoutMs: 5000, alertOnly: false, path, journal: null, maxAgeMs: 60_000 };
  const check = createCheck(config, { clock: systemClock, runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats });
  assert.equal((await check.run(SIGNAL)).ok, true);
  assert.equal(check.holdsFor?.(), 0);
});
