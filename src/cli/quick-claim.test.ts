import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quickConfig } from "../config/quick-config.js";
import { LifeguardError } from "../core/errors.js";
import { readBootId, readProcStat } from "../process/proc-stat.js";
import { claimQuickInstance, type QuickStart } from "./quick-claim.js";
import { readQuickRecord, writeQuickRecord } from "./quick-record.js";

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function setup() {
  const root = mkdtempSync(join(tmpdir(), "lifeguard-claim-"));
  dirs.push(root);
  const start: QuickStart = { command: ["sleep", "60"], flags: { state: root, name: "bot" }, cwd: root, env: {}, isRoot: true, token: false };
  const config = quickConfig(start.command, start.flags, { env: {}, cwd: root, isRoot: true });
  return { root, start, config, dir: join(root, "quick-bot") };
}

test("a quick-mode start records how it was started and who runs it", () => {
  const { start, config, dir } = setup();
  assert.deepEqual(claimQuickInstance(config, start, 1234), []);
  const read = readQuickRecord(dir);
  assert.ok("record" in read);
  assert.deepEqual(read.record, { version: 1, ...start, pid: process.pid, pidStartTime: readProcStat(process.pid)?.startTime ?? null, bootId: readBootId(), startedAt: 1234 });
  // Started again by the same process (it cannot be, but a PID is not a reason to refuse itself).
  assert.deepEqual(claimQuickInstance(config, start, 5678), []);
});

test("a second Lifeguard for a command of the same name is refused while the first runs, and its record is kept", async (t) => {
  const { start, config, dir } = setup();
  const other = spawn("/bin/sleep", ["60"], { stdio: "ignore" });
  t.after(() => other.kill("SIGKILL"));
  const pid = other.pid as number;
  writeQuickRecord(dir, { ...start, pid, pidStartTime: readProcStat(pid)?.startTime ?? null, bootId: readBootId(), startedAt: 1 });
  assert.throws(() => claimQuickInstance(config, start, 2), (error: unknown) => {
    assert.ok(error instanceof LifeguardError);
    assert.equal(error.message, `Cannot start quick mode for "bot" as another Lifeguard (PID ${pid}) supervises a command of that name with the store "${dir}"`);
    assert.equal(error.hint, "Stop that Lifeguard first, or give this command a name of its own with --name NAME.");
    return true;
  });
  const kept = readQuickRecord(dir);
  assert.ok("record" in kept && kept.record.pid === pid);
  other.kill("SIGKILL");
  await new Promise((resolve) => other.once("exit", resolve));
  assert.deepEqual(claimQuickInstance(config, start, 3), [], "once it is gone, the name is free");
});

test("the first start beside an older quick mode's store in the state root says it is left as it is", () => {
  const { root, start, config, dir } = setup();
  writeFileSync(join(root, "lifeguard.db"), "");
  assert.deepEqual(claimQuickInstance(config, start, 1), [
    `Quick mode keeps the store of "bot" in "${dir}" from now on: the store "${join(root, "lifeguard.db")}" in the state directory itself (an older quick mode's, or a configuration file's) is left as it is, and its history and state are not carried over`,
  ]);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "lifeguard.db"), "");
  assert.deepEqual(claimQuickInstance(config, start, 2), [], "said once: the new store exists from then on");
});

test("a state root the user may not write is refused with what to do, before anything starts", (t) => {
  const { start, config, dir } = setup();
  // Root writes anywhere: a file where the directory should be stands in for a refusing disk.
  writeFileSync(dir, "");
  t.after(() => rmSync(dir, { force: true }));
  assert.throws(() => claimQuickInstance(config, start, 1), (error: unknown) => {
    assert.ok(error instanceof LifeguardError);
    assert.match(error.message, new RegExp(`^Cannot start quick mode for "bot" as its directory "${dir}" cannot be written: `));
    assert.equal(error.hint, "Pass --state DIR where the user running Lifeguard may write (without --state, a user other than root gets ~/.local/state/lifeguard).");
    return true;
  });
});
