import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readBootId, readProcStat } from "../process/proc-stat.js";
import { isRecordRunning, readQuickRecord, recordPath, writeQuickRecord, type QuickRecord } from "./quick-record.js";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-record-"));
  dirs.push(dir);
  return dir;
};

/** A record of this very process: alive. */
const SAMPLE: Omit<QuickRecord, "version"> = {
  command: ["python3", "-u", "main.py"], flags: { maxAge: "5m", name: "trader" }, cwd: "/srv/bot", env: { HOME: "/home/bot" },
  isRoot: false, token: true, pid: process.pid, pidStartTime: readProcStat(process.pid)?.startTime ?? null, bootId: readBootId(), startedAt: 1_733_000_000_000,
};

test("a record is written atomically into a directory it creates, and read back as written", () => {
  const dir = join(tempDir(), "quick-trader");
  writeQuickRecord(dir, SAMPLE);
  assert.deepEqual(readQuickRecord(dir), { record: { version: 1, ...SAMPLE } });
  assert.deepEqual(readdirSync(dir), ["quick.json"], "no temporary file is left");
  assert.doesNotMatch(readFileSync(recordPath(dir), "utf8"), /LIFEGUARD_TOKEN|secret/, "only whether a token was set");
});

test("a record that is missing, corrupt or of another shape says why it cannot be used", () => {
  const dir = tempDir();
  assert.deepEqual(readQuickRecord(dir), { problem: "does not exist" });
  const cases: Array<[string, string]> = [
    ["{ half", "is not a record: "],
    ["[]", "is not a record: expected a JSON object"],
    [JSON.stringify({ ...SAMPLE, version: 2 }), "is not a record: expected version 1, got 2"],
    [JSON.stringify({ version: 1, ...SAMPLE, command: [] }), 'is not a record: expected "command" to be a list of strings'],
    [JSON.stringify({ version: 1, ...SAMPLE, flags: { maxAge: 5 } }), 'is not a record: expected "flags" to be a map of strings'],
    [JSON.stringify({ version: 1, ...SAMPLE, pid: "42" }), 'is not a record: expected "pid" to be a whole number'],
  ];
  for (const [text, problem] of cases) {
    writeFileSync(recordPath(dir), text);
    const read = readQuickRecord(dir);
    assert.ok("problem" in read && read.problem.startsWith(problem), `${text}: ${JSON.stringify(read)}`);
  }
});

test("isRecordRunning follows the PID with its start time and boot, so a reused PID is not taken for the Lifeguard", async () => {
  assert.equal(isRecordRunning({ version: 1, ...SAMPLE }), true);
  assert.equal(isRecordRunning({ version: 1, ...SAMPLE, pidStartTime: (SAMPLE.pidStartTime ?? 0) + 1 }), false, "another process on that PID");
  assert.equal(isRecordRunning({ version: 1, ...SAMPLE, bootId: "another-boot" }), false);
  const child = spawn("/bin/true");
  const pid = child.pid as number;
  await new Promise((resolve) => child.once("exit", resolve));
  assert.equal(isRecordRunning({ version: 1, ...SAMPLE, pid, pidStartTime: null }), false, "gone");
});
