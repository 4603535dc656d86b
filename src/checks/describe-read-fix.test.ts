import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeClock } from "../testing/fake-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { describeReadFix, shellQuote } from "./describe-read-fix.js";
import { createCheck } from "./registry.js";

let dir = "";
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-fix-"))));
after(() => rm(dir, { recursive: true, force: true }));

test("a log behind a symbolic link loop cannot be observed, and the fix says how to find the loop", async () => {
  const path = join(dir, "loop.log");
  await symlink(path, path);
  const check = createCheck({ kind: "log-fresh", id: "log-fresh", timeoutMs: 5000, alertOnly: false, path, journal: null, maxAgeMs: 300_000 }, {
    clock: createFakeClock(), runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats,
  });
  const observation = await check.run(new AbortController().signal);
  assert.equal(observation.ok, false);
  assert.equal(observation.unobservable, true);
  assert.equal(observation.evidence.code, "ELOOP");
  assert.equal(observation.hint, `Repair the symbolic links on the way to "${path}", which loop: "namei -l ${path}" shows them`);
});

test("describeReadFix names the mount or the disk for I/O errors, and has no fix for other codes", async () => {
  assert.equal(await describeReadFix("/mnt/nfs/bot.log", "ESTALE"), 'Remount the file system holding "/mnt/nfs/bot.log", which is stale or gone (ESTALE): see "findmnt -T /mnt/nfs"');
  assert.equal(await describeReadFix("/srv/bot.log", "EIO"), 'Check the disk holding "/srv/bot.log", which fails to read (EIO): see "dmesg" and "findmnt -T /srv"');
  assert.equal(await describeReadFix("/srv/bot.log", "ENOENT"), undefined);
});

test("shellQuote leaves plain paths alone and quotes the rest for a shell", () => {
  assert.equal(shellQuote("/home/bot/logs/bot-1.log"), "/home/bot/logs/bot-1.log");
  assert.equal(shellQuote("/home/bot/my logs/it's.log"), "'/home/bot/my logs/it'\\''s.log'");
});
