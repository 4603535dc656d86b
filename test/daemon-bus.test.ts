// `lifeguard run` with a systemd service, on a real systemd whose system bus runs (Debian's
// dbus-daemon in the sandbox): it reads the unit's state over the bus and hears systemd report a
// change, so a bot killed with SIGKILL is restarted at once although its interval is an hour:
// only the bus's event can have started that round. Without the bus it says so once and polls.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, installBot, signalInside, writeConfig, type LabBot } from "./support/lab.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

describe("lifeguard run hears a systemd unit's crash over the system bus", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let bot: LabBot;
  let watchdogLog: string;
  const show = async (unit: string, property: string): Promise<string> =>
    (await sandbox.exec(["systemctl", "show", `--property=${property}`, "--value", unit])).stdout.trim();
  const logText = (): string => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "");

  before(async () => {
    sandbox = await startSandbox();
    assert.ok((await sandbox.exec(["systemctl", "start", "dbus.socket"])).ok);
    bot = await installBot(sandbox, "watched");
    watchdogLog = join(bot.dir, "watchdog.log");
    const config = writeConfig(bot, {
      // An hour between rounds: the first one at the start, then only what wakes the loop.
      interval: "1h",
      "failure-threshold": 1,
      "startup-grace": "1s",
      restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "10s", backoff: { initial: "0s", max: "0s" } },
    }, { log: { file: watchdogLog } });
    await sandbox.writeUnit("lifeguard.service", `[Service]\nExecStart=${process.execPath} ${BIN} run -c ${config}\n`);
    await sandbox.daemonReload();
    assert.ok((await sandbox.exec(["systemctl", "start", "lifeguard.service"])).ok);
    assert.ok(await waitFor(() => /Lifeguard started: watching "bot"/.test(logText()), WAIT), logText());
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("a SIGKILL of the bot is answered at once, by systemd's report over the bus, not by the hourly round", async () => {
    const mainPid = await show(bot.unit, "MainPID");
    assert.notEqual(mainPid, "0");
    await signalInside(sandbox, Number(mainPid), "KILL");
    assert.ok(await waitFor(async () => {
      const now = await show(bot.unit, "MainPID");
      return now !== "0" && now !== mainPid && (await show(bot.unit, "ActiveState")) === "active";
    }, WAIT), logText());
    assert.match(logText(), /\[RESTART\] "bot" restarted \(reason: running\)/);
    assert.doesNotMatch(logText(), /Cannot (read unit states over|follow)/, "the bus answered all along");
  });
});
