// Supervisor mode without systemd: `lifeguard run` owns the bot's process, restarts it when it
// crashes (told at once by the exit, no polling), and leaves no process behind when it stops.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { logBotArgv, type BotPids } from "../src/testing/bots.js";
import { readProcStat } from "../src/process/proc-stat.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "./support/lab.js";

const WAIT = { timeoutMs: 20_000, intervalMs: 50 };

test("a crashed supervised bot is restarted at once and nothing outlives Lifeguard's SIGTERM", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-supervise-"));
  const log = join(dir, "bot.log");
  const pidFile = join(dir, "bot.pid");
  const watchdogLog = join(dir, "watchdog.log");
  const config = join(dir, "lifeguard.yaml");
  writeFileSync(config, stringify({
    state: join(dir, "state"),
    log: { file: watchdogLog },
    http: { listen: "127.0.0.1:0" },
    services: {
      bot: {
        command: logBotArgv(log, { everyMs: 100, crashAfter: 15, child: true, pidFile }),
        interval: "30s",
        checks: [{ "log-fresh": { path: log, "max-age": "1m" } }],
        "failure-threshold": 1,
        restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1m", max: "1m" } },
      },
    },
  }));
  const lifeguard = spawn(process.execPath, [BIN, "run", "-c", config], { cwd: REPO, detached: true, stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => lifeguard.once("exit", (code) => resolve(code)));
  const seen = new Map<number, number>(); // pid → start time, of every bot process and child
  const remember = () => {
    if (!existsSync(pidFile)) return;
    const pids = JSON.parse(readFileSync(pidFile, "utf8")) as BotPids;
    for (const pid of [pids.pid, pids.child]) {
      const stat = pid === null ? null : readProcStat(pid);
      if (pid !== null && stat !== null) seen.set(pid, stat.startTime);
    }
  };
  t.after(() => {
    if (lifeguard.exitCode === null && lifeguard.signalCode === null) process.kill(-(lifeguard.pid as number), "SIGKILL");
    for (const [pid, startTime] of seen) if (readProcStat(pid)?.startTime === startTime) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  const text = () => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "");

  assert.ok(await waitFor(() => (remember(), /Started "bot"/.test(text())), WAIT), text());
  assert.ok(await waitFor(() => (remember(), /\[FAIL\] "bot" exited with code 1 after/.test(text())), WAIT), text());
  assert.ok(await waitFor(() => (remember(), /\[RESTART\] "bot" restarted \(reason: running\)/.test(text())), WAIT), text());
  assert.ok(await waitFor(() => (remember(), seen.size >= 4), WAIT), "the first bot, its child, and the restarted bot and child were seen");

  // Its HTTP surface, on the loopback port the system picked.
  const url = /status at (http:\/\/127\.0\.0\.1:\d+)\/api\/status/.exec(text())?.[1];
  assert.ok(url !== undefined, text());
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  const status = (await (await fetch(`${url}/api/status`)).json()) as { services: Array<{ service: string; restartsInWindow: number }> };
  assert.equal(status.services[0]?.service, "bot");
  assert.ok((status.services[0]?.restartsInWindow ?? 0) >= 1);
  assert.match(await (await fetch(`${url}/metrics`)).text(), /^lifeguard_restarts_total\{service="bot"\} [1-9]/m);
  assert.equal((await fetch(`${url}/ping/bot`)).status, 403, "no token configured: pings are refused");

  process.kill(lifeguard.pid as number, "SIGTERM");
  assert.equal(await exited, 0);
  assert.match(text(), /Lifeguard stopped/);
  const alive = [...seen].filter(([pid, startTime]) => {
    const stat = readProcStat(pid);
    return stat !== null && stat.startTime === startTime && stat.state !== "Z";
  });
  assert.deepEqual(alive, []);
});

test("a reload keeps an unchanged supervised bot running and restarts one whose command changed", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-reload-"));
  const log = join(dir, "bot.log");
  const pidFile = join(dir, "bot.pid");
  const watchdogLog = join(dir, "watchdog.log");
  const config = join(dir, "lifeguard.yaml");
  const write = (interval: string, everyMs: number) => writeFileSync(config, stringify({
    state: join(dir, "state"),
    log: { file: watchdogLog },
    http: { listen: "127.0.0.1:0" },
    services: { bot: { command: logBotArgv(log, { everyMs, pidFile }), interval, checks: [{ "log-fresh": { path: log, "max-age": "1m" } }] } },
  }));
  write("30s", 100);
  const lifeguard = spawn(process.execPath, [BIN, "run", "-c", config], { cwd: REPO, detached: true, stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => lifeguard.once("exit", (code) => resolve(code)));
  const seen = new Map<number, number>();
  const botPid = (): number | null => {
    if (!existsSync(pidFile)) return null;
    const { pid } = JSON.parse(readFileSync(pidFile, "utf8")) as BotPids;
    const stat = readProcStat(pid);
    if (stat === null || stat.state === "Z") return null;
    seen.set(pid, stat.startTime);
    return pid;
  };
  t.after(() => {
    if (lifeguard.exitCode === null && lifeguard.signalCode === null) process.kill(-(lifeguard.pid as number), "SIGKILL");
    for (const [pid, startTime] of seen) if (readProcStat(pid)?.startTime === startTime) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  const text = () => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "");
  const reloads = () => text().match(/Reloaded the configuration/g)?.length ?? 0;

  assert.ok(await waitFor(() => botPid() !== null && /Lifeguard started/.test(text()), WAIT), text());
  const first = botPid();
  write("20s", 100); // only the interval changed
  process.kill(lifeguard.pid as number, "SIGHUP");
  assert.ok(await waitFor(() => reloads() === 1 && (text().match(/Lifeguard started/g)?.length ?? 0) === 2, WAIT), text());
  assert.match(text(), /Kept "bot" is "active" \(PID \d+, up .*\) across the reload: its command and settings did not change/);
  assert.equal(botPid(), first, "the same process runs on");

  write("20s", 150); // the command changed
  process.kill(lifeguard.pid as number, "SIGHUP");
  assert.ok(await waitFor(() => reloads() === 2 && botPid() !== null && botPid() !== first, WAIT), text());
  assert.equal(readProcStat(first as number)?.startTime === seen.get(first as number) && readProcStat(first as number)?.state !== "Z", false, "the old bot is gone");

  process.kill(lifeguard.pid as number, "SIGTERM");
  assert.equal(await exited, 0);
  assert.equal(botPid(), null, "nothing outlives Lifeguard");
});
