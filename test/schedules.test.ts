// Schedules against real processes (issue 16 item 1): a supervised bot whose log goes quiet is
// left alone outside its active window and in a quiet window, and restarted inside its window;
// `status` tells where each service's windows stand; `validate` refuses an impossible window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { readProcStat } from "../src/process/proc-stat.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "./support/lab.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
/** A bot that writes one line and its pid, then goes quiet: its log is stale after `max-age`. */
const QUIET_BOT = "import os, sys, time; open(sys.argv[2], 'w').write(str(os.getpid())); open(sys.argv[1], 'a').write('started\\n'); time.sleep(600)";

test("lifeguard run restarts a bot gone quiet inside its active window, and not one outside it or in a quiet window (its service's or its check's)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-schedules-"));
  const watchdogLog = join(dir, "watchdog.log");
  const config = join(dir, "lifeguard.yaml");
  // An hour of the UTC day twelve hours from now: the window excludes the test's whole run.
  const elsewhere = (new Date().getUTCHours() + 12) % 24;
  const bot = (name: string, schedule: Record<string, unknown>) => ({
    command: ["/usr/bin/python3", "-c", QUIET_BOT, join(dir, `${name}.log`), join(dir, `${name}.pid`)],
    interval: "1s",
    checks: [{ "log-fresh": { path: join(dir, `${name}.log`), "max-age": "1s" } }],
    "failure-threshold": 1,
    "startup-grace": "1s",
    restart: { "stop-timeout": "1s", "kill-wait": "1s", "verify-timeout": "5s", limit: { max: 100, per: "1h" }, backoff: { initial: "1s", max: "1s" } },
    ...schedule,
  });
  writeFileSync(config, stringify({
    state: join(dir, "state"),
    log: { file: watchdogLog },
    http: { listen: "127.0.0.1:0" },
    services: {
      open: bot("open", { active: [{ cron: "* * * * *", timezone: "UTC" }] }),
      closed: bot("closed", { active: [{ cron: `* ${elsewhere} * * *`, timezone: "UTC" }] }),
      hushed: bot("hushed", { quiet: [{ cron: "* * * * *", timezone: "Europe/Berlin" }] }),
      muted: { ...bot("muted", {}), checks: [{ "log-fresh": { path: join(dir, "muted.log"), "max-age": "1s", quiet: [{ cron: "* * * * *", timezone: "UTC" }] } }] },
    },
  }));
  const lifeguard = spawn(process.execPath, [BIN, "run", "-c", config], { cwd: REPO, detached: true, stdio: "ignore" });
  const firstPids = new Map<string, { pid: number; startTime: number }>();
  const pidOf = (name: string) => {
    const file = join(dir, `${name}.pid`);
    const pid = existsSync(file) ? Number(readFileSync(file, "utf8")) : 0;
    const stat = pid > 0 ? readProcStat(pid) : null;
    return stat === null ? null : { pid, startTime: stat.startTime };
  };
  t.after(() => {
    if (lifeguard.exitCode === null && lifeguard.signalCode === null) process.kill(-(lifeguard.pid as number), "SIGKILL");
    // A bot Lifeguard could not stop (killed itself) is ended here, by its pid and start time.
    for (const name of ["open", "closed", "hushed", "muted"]) {
      const running = pidOf(name);
      if (running !== null && readProcStat(running.pid)?.startTime === running.startTime) process.kill(running.pid, "SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const text = () => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "");
  const restarts = (name: string) => text().split("\n").filter((line) => line.includes("[RESTART]") && line.includes(`"${name}" restarted (reason`)).length;

  assert.ok(await waitFor(() => ["closed", "hushed"].every((name) => {
    const running = pidOf(name);
    if (running !== null && !firstPids.has(name)) firstPids.set(name, running);
    return firstPids.has(name);
  }), WAIT), text());
  // Two restarts of "open": its quiet log was judged stale twice, so the others' logs were stale as long.
  assert.ok(await waitFor(() => restarts("open") >= 2, WAIT), text());
  assert.ok(await waitFor(() => text().includes('Not restarting "hushed" as its quiet window lasts until'), WAIT), text());
  assert.ok(await waitFor(() => text().includes('Not restarting "muted" as check "log-fresh": its quiet window lasts until'), WAIT), text());
  assert.equal(restarts("muted"), 0, text());
  assert.equal(restarts("closed"), 0, text());
  assert.equal(restarts("hushed"), 0, text());
  assert.deepEqual(pidOf("closed"), firstPids.get("closed"));
  assert.deepEqual(pidOf("hushed"), firstPids.get("hushed"));

  const status = spawnSync(process.execPath, [BIN, "status", "-c", config], { cwd: REPO, encoding: "utf8", timeout: 30_000 });
  assert.match(status.stdout, /outside its active window, opens \d{4}-\d\d-\d\d \d\d:00 UTC/, status.stdout + status.stderr);
  assert.match(status.stdout, /restart held back: its quiet window lasts until further notice \(no change within 400 days\)/, status.stdout);
  assert.match(status.stdout, /active until further notice/, status.stdout);

  process.kill(lifeguard.pid as number, "SIGTERM");
  assert.ok(await waitFor(() => lifeguard.exitCode !== null || lifeguard.signalCode !== null, WAIT), text());
});

test("lifeguard validate refuses an impossible window at its file, line and column, with exit 78", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-schedules-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, "lifeguard.yaml");
  writeFileSync(config, ["services:", "  bot:", "    systemd: bot", "    quiet:", "      - cron: \"* * 31 4 *\"", "        timezone: Mars/Olympus", ""].join("\n"));
  const result = spawnSync(process.execPath, [BIN, "validate", "-c", config], { cwd: REPO, encoding: "utf8", timeout: 30_000 });
  assert.equal(result.status, 78, result.stdout + result.stderr);
  assert.match(result.stderr, new RegExp(`${config}:5:15: services\\.bot\\.quiet\\[0\\]\\.cron: .*no month has such a day`));
  assert.match(result.stderr, new RegExp(`${config}:6:19: services\\.bot\\.quiet\\[0\\]\\.timezone: expected an IANA time zone`));
});

test("lifeguard check does not look at a service outside its active window: no check runs, exit 0", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-schedules-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, "lifeguard.yaml");
  const elsewhere = (new Date().getUTCHours() + 12) % 24;
  // The unit does not exist and the log is missing: judged, both would fail.
  writeFileSync(config, stringify({
    state: join(dir, "state"),
    services: { bot: { systemd: "lifeguard-absent-unit.service", active: [{ cron: `* ${elsewhere} * * *`, timezone: "UTC" }], checks: [{ "log-fresh": { path: join(dir, "bot.log"), "max-age": "1m" } }] } },
  }));
  const result = spawnSync(process.execPath, [BIN, "check", "-c", config], { cwd: REPO, encoding: "utf8", timeout: 30_000 });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /"bot" is not judged: outside its active window until \d{4}-\d\d-\d\d \d\d:00 UTC/);
  assert.doesNotMatch(result.stdout, /\[FAIL\]|systemctl/);
});
