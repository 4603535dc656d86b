// Supervisor mode without systemd: `lifeguard run` owns the bot's process, restarts it when it
// crashes (told at once by the exit, no polling), and leaves no process behind when it stops.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logBotArgv } from "../src/testing/bots.js";
import { readProcStat } from "../src/process/proc-stat.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon, statusUrl } from "./support/daemon.js";

const WAIT = { timeoutMs: 20_000, intervalMs: 50 };

test("a crashed supervised bot is restarted at once and nothing outlives Lifeguard's SIGTERM", async (t) => {
  const files = daemonFiles("lifeguard-supervise-");
  const { log, pidFile, bot } = botFiles(files);
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: {
      bot: {
        command: logBotArgv(log, { everyMs: 100, crashAfter: 15, child: true, pidFile }),
        interval: "30s",
        checks: [{ "log-fresh": { path: log, "max-age": "1m" } }],
        "failure-threshold": 1,
        restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1m", max: "1m" } },
      },
    },
  }), [bot]);
  const seeing = (pattern: RegExp) => () => (bot.current(), pattern.test(lifeguard.log()));

  assert.ok(await waitFor(seeing(/Started "bot"/), WAIT), lifeguard.log());
  assert.ok(await waitFor(seeing(/\[FAIL\] "bot" exited with code 1 after/), WAIT), lifeguard.log());
  assert.ok(await waitFor(seeing(/\[RESTART\] "bot" restarted \(reason: running\)/), WAIT), lifeguard.log());
  assert.ok(await waitFor(() => (bot.current(), bot.seen.size >= 4), WAIT), "the first bot, its child, and the restarted bot and child were seen");

  // Its HTTP surface, on the loopback port the system picked.
  const url = statusUrl(lifeguard.log());
  assert.ok(url !== undefined, lifeguard.log());
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  const status = (await (await fetch(`${url}/api/status`)).json()) as { services: Array<{ service: string; restartsInWindow: number }> };
  assert.equal(status.services[0]?.service, "bot");
  assert.ok((status.services[0]?.restartsInWindow ?? 0) >= 1);
  assert.match(await (await fetch(`${url}/metrics`)).text(), /^lifeguard_restarts_total\{service="bot"\} [1-9]/m);
  assert.equal((await fetch(`${url}/ping/bot`)).status, 403, "no token configured: pings are refused");

  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.match(lifeguard.log(), /Lifeguard stopped/);
  assert.deepEqual(bot.survivors(), []);
});

test("a SIGKILL of a supervised bot is answered by its exit, not by the hourly round", async (t) => {
  const files = daemonFiles("lifeguard-supervise-kill-");
  const { pidFile, bot } = botFiles(files);
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: {
      bot: {
        command: sleeperCommand(pidFile),
        interval: "1h",
        "failure-threshold": 1,
        restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "0s", max: "0s" } },
      },
    },
  }), [bot]);
  assert.ok(await waitFor(() => /Lifeguard started/.test(lifeguard.log()) && bot.current() !== null, WAIT), lifeguard.log());
  const first = bot.current() as number;
  process.kill(first, "SIGKILL");
  // The round after the start is an hour away: only the exit can have asked for this.
  assert.ok(await waitFor(() => {
    const now = bot.current();
    return now !== null && now !== first;
  }, WAIT), `not restarted:\n${lifeguard.log()}`);
  assert.ok(await waitFor(() => /\[RESTART\] "bot" restarted \(reason: running\)/.test(lifeguard.log()), WAIT), lifeguard.log());
  assert.match(lifeguard.log(), /\[FAIL\] "bot" exited on SIGKILL after/);
  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.deepEqual(bot.survivors(), []);
});

test("a supervised bot whose log stops is restarted at max-age while its log is followed, not polled", async (t) => {
  const files = daemonFiles("lifeguard-follow-freeze-");
  const { log, pidFile, bot } = botFiles(files);
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: {
      bot: {
        command: logBotArgv(log, { everyMs: 100, hangAfter: 20, pidFile }),
        interval: "1s",
        checks: ["running", { "log-fresh": { path: log, "max-age": "2s" } }],
        "failure-threshold": 1,
        "startup-grace": "1s",
        restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1m", max: "1m" } },
      },
    },
  }), [bot]);
  const seeing = (pattern: RegExp) => () => (bot.current(), pattern.test(lifeguard.log()));
  assert.ok(await waitFor(seeing(/Started "bot"/), WAIT), lifeguard.log());
  // The bot writes 20 lines, then hangs alive: only the log's deadline can tell.
  assert.ok(await waitFor(seeing(/\[RESTART\] "bot" restarted \(reason: log-fresh\)/), WAIT), lifeguard.log());
  assert.match(lifeguard.log(), /\[FAIL\] .*Log file is stale: last written 2s ago \(max-age 2s\)/, "judged the moment max-age ran out");
  assert.doesNotMatch(lifeguard.log(), /Cannot watch|inotify does not hear/, "the log was followed by its directory's watch");
  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.deepEqual(bot.survivors(), []);
});

test("a reload keeps an unchanged supervised bot running and restarts one whose command changed", async (t) => {
  const files = daemonFiles("lifeguard-reload-");
  const { log, pidFile, bot } = botFiles(files);
  const config = (interval: string, everyMs: number) => daemonConfig(files, {
    services: { bot: { command: logBotArgv(log, { everyMs, pidFile }), interval, checks: [{ "log-fresh": { path: log, "max-age": "1m" } }] } },
  });
  const lifeguard = startDaemon(t, files, config("30s", 100), [bot]);
  const reloads = () => lifeguard.count(/Reloaded the configuration/);

  assert.ok(await waitFor(() => bot.current() !== null && /Lifeguard started/.test(lifeguard.log()), WAIT), lifeguard.log());
  const first = bot.current();
  lifeguard.writeConfig(config("20s", 100)); // only the interval changed
  process.kill(lifeguard.pid, "SIGHUP");
  assert.ok(await waitFor(() => reloads() === 1 && lifeguard.count(/Lifeguard started/) === 2, WAIT), lifeguard.log());
  assert.match(lifeguard.log(), /Kept "bot" is "active" \(PID \d+, up .*\) across the reload: its command and settings did not change/);
  assert.equal(bot.current(), first, "the same process runs on");

  lifeguard.writeConfig(config("20s", 150)); // the command changed
  process.kill(lifeguard.pid, "SIGHUP");
  assert.ok(await waitFor(() => reloads() === 2 && bot.current() !== null && bot.current() !== first, WAIT), lifeguard.log());
  assert.equal(readProcStat(first as number)?.startTime === bot.seen.get(first as number) && readProcStat(first as number)?.state !== "Z", false, "the old bot is gone");

  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.equal(bot.current(), null, "nothing outlives Lifeguard");
});
