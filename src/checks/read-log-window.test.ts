import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { appendFile, mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CheckConfig, LogActivityCheckConfig } from "../config/types.js";
import { rotateFile } from "../process/rotate-file.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { LOGROTATE_SKIP, rotateWithLogrotate } from "../testing/logrotate.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { findRotatedFile } from "./find-rotated-file.js";
import { readLogWindow } from "./read-log-window.js";
import { createCheck } from "./registry.js";

const skip = LOGROTATE_SKIP;
let root = "";
let dirs = 0;
before(async () => void (root = await mkdtemp(join(tmpdir(), "lifeguard-window-"))));
after(() => rm(root, { recursive: true, force: true }));

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);
const text = (lines: string[]): string => lines.map((line) => `${line}\n`).join("");
const work = (count: number): string[] => Array.from({ length: count }, (_, i) => `INFO VIX ${i} Update ${i}`);
const filler = (count: number): string[] => Array.from({ length: count }, (_, i) => `DEBUG tick ${i}`);

/** A log in a directory of its own (the rotated files sit beside it), holding `lines`. */
async function newLog(lines: string[]): Promise<string> {
  dirs += 1;
  const dir = join(root, `case-${dirs}`);
  await mkdir(dir);
  const path = join(dir, "bot.log");
  await writeFile(path, text(lines));
  return path;
}

function observe(config: CheckConfig) {
  const deps = { clock: createFakeClock(Date.now()), runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats };
  return createCheck(config, deps).run(new AbortController().signal);
}

const activity = (path: string, options: Partial<LogActivityCheckConfig> = {}) =>
  observe({ kind: "log-activity", id: "log-activity", timeoutMs: 5000, alertOnly: false, path, lines: 10, match: "VIX|Update", min: 1, forbid: null, ignoreCase: false, withinMs: null, timestamp: null, journal: null, ...options });

test("readLogWindow continues into <file>.1 after Lifeguard's own rotation", async () => {
  const path = await newLog(numbered(0, 30));
  rotateFile(path, 3);
  await writeFile(path, text(numbered(30, 33)));
  const window = await readLogWindow(path, 10);
  assert.deepEqual(window.lines, numbered(23, 33));
  assert.deepEqual(window.rotated, { path: `${path}.1`, linesRead: 7 });
  assert.deepEqual((await readLogWindow(path, 3)).lines, numbered(30, 33), "a full window reads no rotated file");
  assert.equal((await readLogWindow(path, 3)).rotated, undefined);
});

for (const mode of ["create", "copytruncate"] as const) {
  test(`readLogWindow spans logrotate's ${mode}, and the rotation with delaycompress`, { skip }, async () => {
    const path = await newLog(numbered(0, 20));
    await rotateWithLogrotate(path, mode, { rotate: 3, compress: true, delaycompress: true });
    assert.deepEqual((await readLogWindow(path, 5)).lines, numbered(15, 20), "the new file is empty");
    await appendFile(path, text(numbered(20, 22)));
    await rotateWithLogrotate(path, mode, { rotate: 3, compress: true, delaycompress: true });
    await appendFile(path, text(numbered(22, 23)));
    const window = await readLogWindow(path, 5);
    assert.deepEqual(window.lines, numbered(20, 23), "<file>.1 is plain; the window does not go on into the older <file>.2.gz");
    assert.deepEqual(window.rotated, { path: `${path}.1`, linesRead: 2 });
  });
}

test("readLogWindow does not read a compressed rotated file: the window starts at the rotation", { skip }, async () => {
  const path = await newLog(numbered(0, 20));
  await rotateWithLogrotate(path, "create", { compress: true });
  await appendFile(path, text(numbered(20, 22)));
  const window = await readLogWindow(path, 5);
  assert.deepEqual(window.lines, numbered(20, 22));
  assert.deepEqual(window.rotated, { path: `${path}.1.gz`, unread: "compressed" });
});

test("findRotatedFile takes the newer of <file>.1 and <file>.1.gz, and the latest date of dateext", async () => {
  const path = await newLog([]);
  assert.equal(await findRotatedFile(path), null);
  await writeFile(`${path}.1`, "stale\n");
  await writeFile(`${path}.1.gz`, "");
  await writeFile(`${path}.10`, "");
  await writeFile(`${path}.bak`, "");
  const hourAgo = (Date.now() - 3_600_000) / 1000;
  await utimes(`${path}.1`, hourAgo, hourAgo);
  assert.deepEqual(await findRotatedFile(path), { path: `${path}.1.gz`, compressed: true });

  const dated = await newLog([]);
  await writeFile(`${dated}-20261130.gz`, "");
  await writeFile(`${dated}-20261202`, "");
  // delaycompress compressed the older file at the last rotation: it is the most recently written.
  await utimes(`${dated}-20261202`, hourAgo, hourAgo);
  await writeFile(`${dated}-20261201.gz`, "");
  assert.deepEqual(await findRotatedFile(dated), { path: `${dated}-20261202`, compressed: false });
});

test("log-activity judges a just-rotated log by the window across the rotation", async () => {
  const path = await newLog([...filler(5), ...work(1), ...filler(3)]);
  rotateFile(path, 1);
  await writeFile(path, text(filler(2)));
  const observation = await activity(path);
  assert.equal(observation.ok, true, observation.summary);
  assert.equal(observation.summary, "Process appears responsive (1 recent entry)");
  assert.deepEqual(observation.evidence.rotated, { path: `${path}.1`, linesRead: 8 });

  // A bot that writes only filler fails once its work line has left the window.
  await appendFile(path, text(filler(6)));
  const idle = await activity(path);
  assert.equal(idle.ok, false);
  assert.equal(idle.summary, "No recent activity: 0 lines matching VIX|Update in last 10");
});

test("log-activity does not fail a window cut short by a compressed rotation until it holds `lines` lines", { skip }, async () => {
  const path = await newLog([...work(3), ...filler(10)]);
  await rotateWithLogrotate(path, "create", { compress: true });
  await writeFile(path, text(filler(4)));
  const early = await activity(path);
  assert.equal(early.ok, true);
  assert.equal(early.summary, `Too few lines since the log was rotated to judge activity: 4 of 10, 0 matching VIX|Update (the rotated file "${path}.1.gz" is compressed)`);

  const forbidden = await activity(path, { forbid: "tick 3" });
  assert.equal(forbidden.ok, false, "a forbidden line fails at once");

  await appendFile(path, text(filler(6)));
  const full = await activity(path);
  assert.equal(full.ok, false);
  assert.equal(full.summary, "No recent activity: 0 lines matching VIX|Update in last 10");
});

for (const mode of ["create", "copytruncate"] as const) {
  test(`log-fresh finds the empty file logrotate's ${mode} leaves fresh, however old the rotated log was`, { skip }, async () => {
    const path = await newLog(work(3));
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    await utimes(path, hourAgo, hourAgo);
    await rotateWithLogrotate(path, mode);
    const observation = await observe({ kind: "log-fresh", id: "log-fresh", timeoutMs: 5000, alertOnly: false, path, journal: null, maxAgeMs: 300_000 });
    assert.equal(observation.ok, true, observation.summary);
    assert.equal(observation.evidence.size, 0);
  });
}
