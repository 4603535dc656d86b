// Fault: the watched log is rotated under a healthy bot, by Lifeguard itself (quick mode's
// captured output) or by Debian's logrotate (`create`, `copytruncate`, `compress`). The new file
// holds no work line yet; the activity window must span the rotation, so nothing is restarted.
// A bot that stopped working is still restarted once the window after the rotation is filled.
import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { logBotArgv, readBotPids, type LogBotOptions } from "../../src/testing/bots.js";
import { LOGROTATE_SKIP, rotateWithLogrotate, type LogrotateOptions } from "../../src/testing/logrotate.js";
import { sandboxSupport, startSandbox } from "../../src/testing/systemd-sandbox.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, startDaemon, trackBot } from "../support/daemon.js";
import { BIN, REPO, installBot, lifeguard, signalInside, writeConfig } from "../support/lab.js";

const WAIT = { timeoutMs: 60_000, intervalMs: 50 };
const MATCH = "VIX|Position|Update";
/** One line every 100ms, a work line every second: the new file has none for most of a second. */
const BUSY_BOT: LogBotOptions = { everyMs: 100, filler: 9 };
const ROTATIONS = 5;
const support = sandboxSupport();

const lastLine = (path: string): string => (existsSync(path) ? readFileSync(path, "utf8").trimEnd().split("\n").at(-1) ?? "" : "");
/** Waits until the log's newest line is a work line: a rotation now leaves the new file without one for the longest. */
const afterWorkLine = (path: string) => waitFor(() => /Update \d+$/.test(lastLine(path)), WAIT);
/** Counts the rotations of `path` (its inode changes, or it shrinks) until `stop` is called. */
function watchRotations(path: string) {
  let rotations = 0;
  let last: { ino: number; size: number } | null = null;
  const timer = setInterval(() => {
    if (!existsSync(path)) return;
    const { ino, size } = statSync(path);
    if (last !== null && (ino !== last.ino || size < last.size)) rotations += 1;
    last = { ino, size };
  }, 10);
  return { count: () => rotations, stop: () => clearInterval(timer) };
}

/** `lifeguard run --state <tmp> ...flags -- log-bot -`: quick mode captures the bot's standard output. */
function startQuickMode(t: TestContext, flags: string[], bot: LogBotOptions) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-rotation-quick-"));
  const pidFile = join(dir, "bot.pid");
  const tracker = trackBot(pidFile);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["LIFEGUARD_TOKEN", "LIFEGUARD_STATE", "NOTIFY_SOCKET"]) delete env[name];
  const args = [BIN, "run", "--state", join(dir, "state"), "--listen", "127.0.0.1:0", ...flags, "--", ...logBotArgv("-", { ...bot, pidFile })];
  const child = spawn(process.execPath, args, { cwd: REPO, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), "SIGKILL");
    tracker.killSurvivors();
    rmSync(dir, { recursive: true, force: true });
  });
  return { output: join(dir, "state", "quick-python3", "python3.out.log"), pidFile, tracker, log: () => output };
}

test("quick mode rotating the captured output of a healthy bot restarts nothing", async (t) => {
  const quick = startQuickMode(t, ["--match", MATCH, "--max-age", "5s", "--interval", "1s", "--output-max-size", "1KiB"], BUSY_BOT);
  const first = (await readBotPids(quick.pidFile, WAIT.timeoutMs)).pid;
  quick.tracker.current();
  const rotations = watchRotations(quick.output);
  t.after(rotations.stop);
  // The startup grace (5s) is over before the rounds that count.
  assert.ok(await waitFor(() => rotations.count() >= ROTATIONS + 3, WAIT), `${rotations.count()} rotations\n${quick.log()}`);
  assert.ok(existsSync(`${quick.output}.1`), "Lifeguard rotated the output to <file>.1");
  assert.doesNotMatch(quick.log(), /\[FAIL\]|\[RESTART\]/);
  assert.equal(quick.tracker.current(), first, "the same bot runs");
});

/** A daemon (config file, `failure-threshold: 1`, a round every second) watching a bot that writes its own log. */
function startWatchedBot(t: TestContext, bot: LogBotOptions) {
  const files = daemonFiles("lifeguard-rotation-");
  const { log, pidFile, bot: tracker } = botFiles(files);
  const service = {
    command: logBotArgv(log, { ...bot, pidFile }),
    interval: "1s",
    "failure-threshold": 1,
    "startup-grace": "2s",
    checks: [{ "log-fresh": { path: log, "max-age": "5s" } }, { "log-activity": { path: log, lines: 20, match: MATCH } }],
  };
  const daemon = startDaemon(t, files, daemonConfig(files, { services: { bot: service } }), [tracker]);
  return { daemon, log, pidFile, tracker };
}

/** Rotates the bot's log `ROTATIONS` times, each right after a work line, with a round or more in between. */
async function rotateRepeatedly(log: string, mode: "create" | "copytruncate", options: LogrotateOptions) {
  for (let rotation = 0; rotation < ROTATIONS; rotation += 1) {
    assert.ok(await afterWorkLine(log), `a work line in ${log}`);
    await rotateWithLogrotate(log, mode, options);
    await delay(2500);
  }
}

const LOGROTATE_CASES: Array<{ name: string; mode: "create" | "copytruncate"; reopen: boolean; options: LogrotateOptions }> = [
  { name: "create", mode: "create", reopen: true, options: {} },
  { name: "copytruncate", mode: "copytruncate", reopen: false, options: {} },
  { name: "create with compress", mode: "create", reopen: true, options: { rotate: 3, compress: true } },
  { name: "copytruncate with compress and delaycompress", mode: "copytruncate", reopen: false, options: { rotate: 3, compress: true, delaycompress: true } },
];

describe("logrotate under a daemon with failure-threshold 1", { skip: LOGROTATE_SKIP }, () => {
  for (const { name, mode, reopen, options } of LOGROTATE_CASES) {
    test(`logrotate (${name}) rotating a healthy bot's log restarts nothing`, async (t) => {
      const watched = startWatchedBot(t, { ...BUSY_BOT, reopen });
      const first = (await readBotPids(watched.pidFile, WAIT.timeoutMs)).pid;
      watched.tracker.current();
      assert.ok(await waitFor(() => /Update 3$/.test(lastLine(watched.log)), WAIT), "the bot is past its startup grace");
      await rotateRepeatedly(watched.log, mode, options);
      assert.doesNotMatch(watched.daemon.log(), /\[FAIL\]|\[RESTART\]/);
      assert.equal(watched.tracker.current(), first, "the same bot runs");
    });
  }

  for (const { name, mode, reopen, options } of [LOGROTATE_CASES[0], LOGROTATE_CASES[2]].flatMap((item) => (item === undefined ? [] : [item]))) {
    test(`logrotate (${name}) does not hide a bot that stopped working: it is restarted once the window after the rotation is filled`, async (t) => {
      // Three work lines, then filler only: the 20-line window empties of work 2s after the last.
      const watched = startWatchedBot(t, { ...BUSY_BOT, reopen, idleAfter: 3 });
      const first = (await readBotPids(watched.pidFile, WAIT.timeoutMs)).pid;
      watched.tracker.current();
      assert.ok(await waitFor(() => /Update 3$/.test(lastLine(watched.log)), WAIT), "the bot wrote its last work line");
      await rotateWithLogrotate(watched.log, mode, options);
      assert.ok(await waitFor(() => /\[RESTART\] "bot" restarted \(reason: log-activity\)/.test(watched.daemon.log()), WAIT), watched.daemon.log());
      assert.match(watched.daemon.log(), /\[FAIL\] No recent activity: 0 lines matching VIX\|Position\|Update in last 20/);
      assert.ok(await waitFor(() => watched.tracker.current() !== first && watched.tracker.current() !== null, WAIT), "a new bot runs");
    });
  }
});

describe("the one-shot check right after a rotation", { skip: LOGROTATE_SKIP || (support.ok ? false : support.reason) }, () => {
  test("lifeguard check right after logrotate (create) finds the bot healthy: exit 0", async (t) => {
    const sandbox = await startSandbox();
    t.after(() => sandbox.stop());
    // A work line every 5s: the new file holds none for seconds after the rotation.
    const bot = await installBot(sandbox, "rotated", { everyMs: 200, filler: 24, reopen: true });
    const config = writeConfig(bot, {
      checks: [{ "log-fresh": { path: bot.log, "max-age": "10s" } }, { "log-activity": { path: bot.log, lines: 50, match: MATCH } }],
      "failure-threshold": 1,
    });
    assert.ok(await afterWorkLine(bot.log));
    // Held still (SIGSTOP) from here: the check surely runs before the bot's next work line,
    // however slow the machine is, and the log stays fresh (max-age 10s).
    await signalInside(sandbox, (await readBotPids(bot.pidFile, WAIT.timeoutMs)).pid, "SIGSTOP");
    await rotateWithLogrotate(bot.log, "create");
    const check = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(check.exitCode, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /\[OK\] All health checks passed/);
    const rotated = readFileSync(bot.log, "utf8");
    assert.ok(!rotated.includes("Update"), `the new file holds no work line:\n${rotated}`);
  });
});
