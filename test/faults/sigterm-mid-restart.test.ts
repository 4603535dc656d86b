// Lifeguard's SIGTERM lands while a restart verifies the new process: the log and the history say
// the restart was interrupted by the shutdown after the new process started (not that the start
// failed), and the shutdown stops that process as usual.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { waitFor } from "../../src/testing/wait-for.js";
import { daemonConfig, daemonFiles, sleeperCommand, startDaemon, trackBot } from "../support/daemon.js";
import { BIN, REPO } from "../support/lab.js";

const WAIT = { timeoutMs: 20_000, intervalMs: 50 };

test("a SIGTERM during a restart's verification is logged as an interruption after the start, and no bot is left", async (t) => {
  const files = daemonFiles("lifeguard-sigterm-restart-");
  const pidFile = join(files.dir, "bot.pid");
  const activity = join(files.dir, "activity.log");
  writeFileSync(activity, "");
  const bot = trackBot(pidFile);
  const configFile = join(files.dir, "lifeguard.yaml");
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: {
      bot: {
        // Its first run exits after a second (a restart follows); the next one runs on.
        command: sleeperCommand(pidFile, join(files.dir, "failed-once")),
        interval: "30s",
        // Never passes: the restart's verification waits its whole verify-timeout, where the SIGTERM lands.
        checks: ["running", { "log-activity": { path: activity, match: "never-written" } }],
        "startup-grace": "1h",
        restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "10m" },
      },
    },
  }), [bot]);

  const started = /Restart step start: Started "bot" \(PID (\d+)\)/;
  assert.ok(await waitFor(() => started.test(lifeguard.log()), WAIT), lifeguard.log());
  const pid = Number(started.exec(lifeguard.log())?.[1]);
  assert.ok(await waitFor(() => bot.current() === pid, WAIT), "the restarted bot wrote its pid");
  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0, lifeguard.log());

  const interrupted = `Restart of "bot" interrupted by Lifeguard's shutdown after the new process started (PID ${pid})`;
  assert.ok(lifeguard.log().includes(`[ERROR] ${interrupted} (attempt 1 of 3 in the last 1h)\n`), lifeguard.log());
  assert.doesNotMatch(lifeguard.log(), /did not start/);
  assert.deepEqual(bot.survivors(), [], "the shutdown stopped the restarted bot");

  const history = spawnSync(process.execPath, [BIN, "history", "--json", "-c", configFile], { cwd: REPO, encoding: "utf8", timeout: 20_000 });
  assert.equal(history.status, 0, history.stderr);
  const { entries } = JSON.parse(history.stdout) as { entries: Array<{ type: string; restart?: { ok: boolean; summary: string } }> };
  const restarts = entries.flatMap((entry) => (entry.restart === undefined ? [] : [{ ok: entry.restart.ok, summary: entry.restart.summary }]));
  assert.deepEqual(restarts, [{ ok: false, summary: interrupted }]);
});
