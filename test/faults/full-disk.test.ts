// Fault: the state directory fills up (an SD card that ran full) while a supervised bot crashes.
// Protection must not depend on writing the store: the bot is restarted from memory, the restart
// limit still holds, a human hears once that the history is not recorded, and it is written
// when space returns.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fillUp, mountSmallDisk, SMALL_DISK_SKIP } from "../../src/testing/small-disk.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { startWebhookReceiver, TEST_WEBHOOK_PATH } from "../../src/testing/webhook-receiver.js";
import { BIN, REPO } from "../support/lab.js";
import { botFiles, daemonConfig, daemonFiles, startDaemon } from "../support/daemon.js";

const WAIT = { timeoutMs: 60_000, intervalMs: 100 };

test("with the state directory full, a crash-looping bot is restarted up to the limit, then given up; the history is written when space returns", { skip: SMALL_DISK_SKIP }, async (t) => {
  const hook = await startWebhookReceiver();
  t.after(() => hook.close());
  const files = daemonFiles("lifeguard-full-disk-");
  mountSmallDisk(t, files.state);
  const { pidFile, bot } = botFiles(files);
  const crash = join(files.dir, "crash");
  // Runs quietly until `crash` exists; from then on every start crashes a second later. Its pid
  // file is renamed into place: the test never reads it half written.
  const command = ["/bin/sh", "-c", `printf '{"pid": %s, "child": null}' $$$$ > ${pidFile}.new; mv ${pidFile}.new ${pidFile}; if [ -e ${crash} ]; then sleep 1; exit 1; fi; while [ ! -e ${crash} ]; do sleep 0.1; done; exit 1`];
  const config = daemonConfig(files, {
    services: {
      bot: {
        command, interval: "1s", "failure-threshold": 1, "startup-grace": "0s",
        restart: { "stop-timeout": "1s", "kill-wait": "1s", "verify-timeout": "500ms", limit: { max: 3, per: "1h" }, backoff: { initial: "1s", max: "1s" } },
      },
    },
    alerts: { hook: { type: "webhook", url: `${hook.origin}${TEST_WEBHOOK_PATH}` } },
  });
  const lifeguard = startDaemon(t, files, config, [bot]);
  const titles = (): string[] => hook.received.flatMap((request) => (request.body as { alerts: Array<{ title: string }> }).alerts.map((alert) => alert.title));
  assert.ok(await waitFor(() => bot.current() !== null && /Lifeguard started/.test(lifeguard.log()), WAIT), lifeguard.log());

  const filler = join(files.state, "filler");
  fillUp(filler);
  writeFileSync(crash, "");

  // Restarted from memory up to the limit (3), then given up: no fourth restart.
  assert.ok(await waitFor(() => (bot.current(), /\[GAVE-UP\]/.test(lifeguard.log())), WAIT), lifeguard.log());
  assert.equal(lifeguard.count(/\[RESTART\] "bot" restarted/), 3, lifeguard.log());
  assert.equal(lifeguard.count(/\[ERROR\] History not recorded in ".*lifeguard\.db" as the disk is full \(SQLITE_FULL\): Lifeguard keeps watching and restarting from memory/), 1, lifeguard.log());
  assert.doesNotMatch(lifeguard.log(), /Round of "bot" failed/);
  // The human hears of it: alerts sent from memory, the store being full.
  assert.ok(await waitFor(() => titles().some((title) => title.startsWith("History not recorded")) && titles().some((title) => title.startsWith('Gave up on "bot"')), WAIT), JSON.stringify(titles()));

  // A reset is a write that must be kept: on a full disk it fails and says why, never "armed" for a moment.
  const reset = spawnSync(process.execPath, [BIN, "reset", "bot", "-c", join(files.dir, "lifeguard.yaml")], { cwd: REPO, encoding: "utf8" });
  assert.equal(reset.status, 70, `${reset.stdout}${reset.stderr}`);
  assert.match(reset.stderr, /full/i);
  assert.doesNotMatch(reset.stdout, /armed|Reset/);

  rmSync(filler);
  assert.ok(await waitFor(() => /History recorded again in ".*": \d+ records written, 0 dropped while the disk was full/.test(lifeguard.log()), WAIT), lifeguard.log());
  assert.equal(lifeguard.count(/\] History recorded again in/), 1, lifeguard.log());
  const history = spawnSync(process.execPath, [BIN, "history", "--json", "-c", join(files.dir, "lifeguard.yaml")], { cwd: REPO, encoding: "utf8" });
  assert.equal(history.status, 0, history.stderr);
  const entries = (JSON.parse(history.stdout) as { entries: Array<{ type: string; event?: { kind: string }; alert?: { title: string } }> }).entries;
  assert.equal(entries.filter((entry) => entry.type === "restart").length, 3, history.stdout);
  assert.ok(entries.some((entry) => entry.event?.kind === "gave-up"), history.stdout);
  assert.ok(entries.some((entry) => entry.alert?.title.startsWith("History not recorded") === true), history.stdout);

  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.deepEqual(bot.survivors(), []);
});
