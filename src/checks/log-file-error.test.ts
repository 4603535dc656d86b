import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Observation } from "../core/outcome.js";
import type { CheckConfig } from "../config/types.js";

const NOBODY = 65534;
const DAEMON = 1;
const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? {} : { skip: "needs root: permission denied is only real for another user, and these files are chowned" };
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const registryPath = fileURLToPath(new URL("./registry.ts", import.meta.url));
const clockPath = fileURLToPath(new URL("../process/system-clock.ts", import.meta.url));

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeguard-perm-"));
  await chmod(dir, 0o755);
});
after(() => rm(dir, { recursive: true, force: true }));

/**
 * Runs the checks in a child process as "nobody": root (which runs the tests) bypasses file
 * permissions, so permission denied is only real for another user.
 */
async function observeAsNobody(configs: CheckConfig[]): Promise<Observation[]> {
  const script = `
    const { createCheck } = await import(${JSON.stringify(registryPath)});
    const { systemClock: clock } = await import(${JSON.stringify(clockPath)});
    const runner = { target: "unused.service" };
    const configs = JSON.parse(process.argv[1]);
    const observations = [];
    for (const config of configs) observations.push(await createCheck(config, { clock, runner, serviceName: "bot" }).run(new AbortController().signal));
    process.stdout.write(JSON.stringify(observations));
  `;
  const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "--eval", script, JSON.stringify(configs)],
    { cwd: repoRoot, timeout: 30_000, ...asNobody },
  );
  return JSON.parse(stdout) as Observation[];
}

const common = { timeoutMs: 5000, alertOnly: false };
const freshConfig = (path: string): CheckConfig => ({ kind: "log-fresh", id: "log-fresh", ...common, path, journal: null, maxAgeMs: 3_600_000 });
const activityConfig = (path: string): CheckConfig => ({
  kind: "log-activity", id: "log-activity", ...common, path, lines: 100, match: "Update", min: 1, forbid: null, ignoreCase: false, withinMs: null, timestamp: null, journal: null,
});

test("log checks cannot observe when permission is denied on the log's directory, and name the fix", rootOnly, async () => {
  const closed = join(dir, "closed");
  await mkdir(closed, { mode: 0o700 });
  const path = join(closed, "bot.log");
  await writeFile(path, "Update\n", { mode: 0o644 });
  const observations = await observeAsNobody([freshConfig(path), activityConfig(path)]);
  for (const observation of observations) {
    assert.equal(observation.ok, false);
    assert.equal(observation.unobservable, true);
    assert.equal(observation.summary, `Cannot read log file "${path}" as permission was denied`);
    assert.equal(observation.evidence.code, "EACCES");
    // The directory is root's: joining its group is no fix to offer.
    assert.equal(observation.hint, `Let user "nobody" enter the directory "${closed}": run "setfacl -m u:nobody:x ${closed}"; it is owned by "root:root" with mode 0700`);
  }
});

/** A log only "daemon" may read (0600), in an open directory `name` of its own. */
async function daemonOnlyLog(name: string): Promise<string> {
  const open = join(dir, name);
  await mkdir(open, { mode: 0o755 });
  const path = join(open, "bot.log");
  await writeFile(path, "Update\n", { mode: 0o600 });
  await chown(path, DAEMON, DAEMON);
  return path;
}

test("log-activity names the group that would let Lifeguard read a log it may not", rootOnly, async () => {
  const path = await daemonOnlyLog("daemon");
  const [activity] = await observeAsNobody([activityConfig(path)]);
  assert.equal(activity?.unobservable, true);
  assert.equal(activity?.hint, `Let user "nobody" read the log file "${path}": run "setfacl -m u:nobody:r ${path}", ` +
    `or "chmod g+r ${path}" and "usermod -aG daemon nobody" (then restart Lifeguard); it is owned by "daemon:daemon" with mode 0600`);
});

test("an unreadable log is an ordinary failure with on-unreadable: restart, its fix kept", rootOnly, async () => {
  // Its own file: the test must not depend on the one before it.
  const path = await daemonOnlyLog("daemon-restart");
  const [activity] = await observeAsNobody([{ ...activityConfig(path), onUnreadable: "restart" } as CheckConfig]);
  assert.equal(activity?.ok, false);
  assert.equal(activity?.unobservable, undefined);
  assert.match(activity?.hint ?? "", /^Let user "nobody" read the log file/);
});

test("a missing log fails: it is no unobservable log", async () => {
  const [fresh, activity] = await observeAsNobody([freshConfig(join(dir, "gone.log")), activityConfig(join(dir, "gone.log"))]);
  for (const observation of [fresh, activity]) {
    assert.equal(observation?.summary, `Log file "${join(dir, "gone.log")}" does not exist`);
    assert.equal(observation?.unobservable, undefined);
    assert.equal(observation?.hint, undefined);
  }
});

test("log-activity cannot observe when the log cannot be read, log-fresh only needs its metadata", rootOnly, async () => {
  const open = join(dir, "open");
  await mkdir(open, { mode: 0o755 });
  const path = join(open, "bot.log");
  await writeFile(path, "Update\n", { mode: 0o000 });
  const [fresh, activity] = await observeAsNobody([freshConfig(path), activityConfig(path)]);
  assert.equal(fresh?.ok, true, fresh?.summary);
  assert.equal(activity?.summary, `Cannot read log file "${path}" as permission was denied`);
  assert.equal(activity?.unobservable, true);
});

test("after a rotation, a directory Lifeguard may enter but not list still gives up <log>.1; a rotated file it may not read starts the window at the rotation", rootOnly, async () => {
  // 0711: nobody may open names in it, not list them.
  const hidden = join(dir, "unlistable");
  await mkdir(hidden, { mode: 0o711 });
  await chmod(hidden, 0o711);
  const path = join(hidden, "bot.log");
  await writeFile(path, "filler\n", { mode: 0o644 });
  await writeFile(`${path}.1`, "Update\n", { mode: 0o644 });
  const [activity] = await observeAsNobody([{ ...activityConfig(path), lines: 2 } as CheckConfig]);
  assert.equal(activity?.ok, true, activity?.summary);
  assert.deepEqual(activity?.evidence.rotated, { path: `${path}.1`, linesRead: 1 });

  await chmod(`${path}.1`, 0o600);
  const [blind] = await observeAsNobody([{ ...activityConfig(path), lines: 2 } as CheckConfig]);
  assert.equal(blind?.ok, true, "too few lines since the rotation to judge");
  assert.deepEqual(blind?.evidence.rotated, { path: `${path}.1`, unread: "unreadable" });
  assert.match(blind?.summary ?? "", /\(the rotated file ".*bot\.log\.1" is unreadable\)$/);
});
