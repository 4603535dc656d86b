// `log-activity` with `within`: a bot whose log goes on with "alive" lines (the log bot's filler,
// `DEBUG heartbeat tick`) but no longer writes its work lines is restarted, however busy its log;
// a bot that works is left alone. Real bots under a real `lifeguard run`; outcomes, not times.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { logBotArgv, readBotPids, type LogBotOptions } from "../src/testing/bots.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, startDaemon } from "./support/daemon.js";

const WAIT = { timeoutMs: 60_000, intervalMs: 50 };
/** A line every 100 ms, a work line (`... Position ok Update N`) every second, the rest "alive" filler. */
const BUSY_BOT: LogBotOptions = { everyMs: 100, filler: 9 };

const workLines = (path: string): number => (existsSync(path) ? readFileSync(path, "utf8").match(/Update \d+$/gm)?.length ?? 0 : 0);

function startWatchedBot(t: TestContext, bot: LogBotOptions, activity: Record<string, unknown>) {
  const files = daemonFiles("lifeguard-within-");
  const { log, pidFile, bot: tracker } = botFiles(files);
  const service = {
    command: logBotArgv(log, { ...bot, pidFile }),
    interval: "1s",
    "failure-threshold": 1,
    "startup-grace": "1s",
    checks: [{ "log-fresh": { path: log, "max-age": "5s" } }, { "log-activity": { path: log, match: "Position", ...activity } }],
  };
  const daemon = startDaemon(t, files, daemonConfig(files, { services: { bot: service } }), [tracker]);
  return { daemon, log, pidFile, tracker };
}

const WITHIN_TIMESTAMPED = { within: "3s", timestamp: "%Y-%m-%d %H:%M:%S" };

test("within with timestamps: a bot that writes only alive lines is restarted, its log fresh and busy", async (t) => {
  const watched = startWatchedBot(t, { ...BUSY_BOT, idleAfter: 2 }, WITHIN_TIMESTAMPED);
  const first = (await readBotPids(watched.pidFile, WAIT.timeoutMs)).pid;
  watched.tracker.current();
  assert.ok(await waitFor(() => /\[RESTART\] "bot" restarted \(reason: log-activity\)/.test(watched.daemon.log()), WAIT), watched.daemon.log());
  assert.match(watched.daemon.log(), /\[FAIL\] No recent activity: 0 lines matching Position in the last 3s/);
  assert.doesNotMatch(watched.daemon.log(), /reason: log-fresh/, "the log stayed fresh: only the work stopped");
  assert.ok(await waitFor(() => watched.tracker.current() !== first && watched.tracker.current() !== null, WAIT), "a new bot runs");
});

test("within with timestamps: a bot that keeps working is never restarted", async (t) => {
  const watched = startWatchedBot(t, BUSY_BOT, WITHIN_TIMESTAMPED);
  const first = (await readBotPids(watched.pidFile, WAIT.timeoutMs)).pid;
  watched.tracker.current();
  assert.ok(await waitFor(() => workLines(watched.log) >= 8, WAIT), "the bot wrote 8 work lines");
  assert.doesNotMatch(watched.daemon.log(), /\[FAIL\]|\[RESTART\]/);
  assert.equal(watched.tracker.current(), first, "the same bot runs");
});

test("within without timestamps: the daemon dates the lines as it sees them, and restarts a bot that writes only alive lines", async (t) => {
  const watched = startWatchedBot(t, { ...BUSY_BOT, idleAfter: 2 }, { within: "3s" });
  const first = (await readBotPids(watched.pidFile, WAIT.timeoutMs)).pid;
  watched.tracker.current();
  assert.ok(await waitFor(() => /\[RESTART\] "bot" restarted \(reason: log-activity\)/.test(watched.daemon.log()), WAIT), watched.daemon.log());
  assert.match(watched.daemon.log(), /\[FAIL\] No recent activity: 0 lines matching Position in the last 3s/);
  assert.ok(await waitFor(() => watched.tracker.current() !== first && watched.tracker.current() !== null, WAIT), "a new bot runs");
});

test("within without timestamps: a bot that keeps working is never restarted", async (t) => {
  const watched = startWatchedBot(t, BUSY_BOT, { within: "3s" });
  const first = (await readBotPids(watched.pidFile, WAIT.timeoutMs)).pid;
  watched.tracker.current();
  assert.ok(await waitFor(() => workLines(watched.log) >= 8, WAIT), "the bot wrote 8 work lines");
  assert.doesNotMatch(watched.daemon.log(), /\[FAIL\]|\[RESTART\]/);
  assert.equal(watched.tracker.current(), first, "the same bot runs");
});
