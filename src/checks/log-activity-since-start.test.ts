// log-activity after Lifeguard (re)starts the service: only the new run's lines are judged.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { appendFile, copyFile, mkdtemp, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Check } from "../core/check.js";
import type { LogActivityCheckConfig } from "../config/types.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { createCheck } from "./registry.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";

let dir = "";
let fileCount = 0;
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-activity-start-"))));
after(() => rm(dir, { recursive: true, force: true }));

const lines = (texts: string[]): string => texts.map((line) => `${line}\n`).join("");
const updates = (count: number, run: string): string[] => Array.from({ length: count }, (_, i) => `${run} Update VIX=${i}`);

/** A log holding the previous run's output, and a check of it that has been told of the new start. */
async function startedOver(previous: string[] | null, options: Partial<LogActivityCheckConfig> = {}): Promise<{ path: string; check: Check; look: () => ReturnType<Check["run"]> }> {
  fileCount += 1;
  const path = join(dir, `bot-${fileCount}.log`);
  if (previous !== null) await writeFile(path, lines(previous));
  const config: LogActivityCheckConfig = {
    kind: "log-activity", id: "log-activity", timeoutMs: 5000, alertOnly: false,
    path, lines: 100, match: "Update", min: 1, forbid: "Traceback", ignoreCase: false, ...options,
  };
  const check = createCheck(config, { clock: createFakeClock(), runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats });
  await check.markStart?.(0);
  return { path, check, look: () => check.run(new AbortController().signal) };
}

test("the previous run's matching lines do not pass a new run that writes nothing", async () => {
  const { look } = await startedOver(updates(100, "old"));
  const observation = await look();
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, "No recent activity: 0 lines matching Update in the 0 lines since the start");
  assert.equal(observation.evidence.sinceStart, true);
});

test("the new run's lines are judged alone: a match passes, the previous run's Traceback is not held against it", async () => {
  const { path, look } = await startedOver([...updates(3, "old"), "Traceback (most recent call last):"]);
  await appendFile(path, lines(["starting", "connected"]));
  assert.equal((await look()).summary, "No recent activity: 0 lines matching Update in the 2 lines since the start");
  await appendFile(path, lines(updates(1, "new")));
  const observation = await look();
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, "Process appears responsive (1 recent entry)");
  assert.deepEqual(observation.evidence.recent, ["new Update VIX=0"]);
});

test("once the new run wrote as many lines as the window holds, it is judged as any log", async () => {
  const { path, look } = await startedOver(updates(5, "old"), { lines: 3 });
  await appendFile(path, lines(["a", "b", "c"]));
  const observation = await look();
  assert.equal(observation.summary, "No recent activity: 0 lines matching Update in last 3");
  assert.equal(observation.evidence.sinceStart, undefined);
});

test("rotated since the start, the window goes back into the file of the start as far as the start, no further", async () => {
  const { path, look } = await startedOver(updates(10, "old"));
  await appendFile(path, lines(updates(2, "new-before-rotation")));
  await rename(path, `${path}.1`);
  await writeFile(path, lines(["after rotation"]));
  const observation = await look();
  assert.equal(observation.summary, "Process appears responsive (2 recent entries)");
  assert.equal(observation.evidence.linesExamined, 3);
  assert.deepEqual(observation.evidence.recent, ["new-before-rotation Update VIX=0", "new-before-rotation Update VIX=1"]);
});

test("a rotated file that is not the file of the start is the previous run's, and a copytruncate's copy too", async () => {
  const { path, look } = await startedOver(updates(10, "old"));
  // copytruncate: the copy is another file holding the old lines, the log itself starts over.
  await copyFile(path, `${path}.1`);
  await truncate(path, 0);
  await appendFile(path, lines(["new line"]));
  const observation = await look();
  assert.equal(observation.summary, "No recent activity: 0 lines matching Update in the 1 line since the start");
});

test("a log that did not exist at the start holds only the new run's lines", async () => {
  const { path, look } = await startedOver(null);
  await writeFile(path, lines(updates(2, "new")));
  assert.equal((await look()).summary, "Process appears responsive (2 recent entries)");
});
