// Alerts in one-shot mode (cron or a timer): `lifeguard check` sends after its restart, and what
// it could not send, the next `check` sends, once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { PYTHON } from "../src/testing/bots.js";
import { ALERT_PROGRAM, type ExecRun } from "../src/testing/exec-receiver.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { installBot, lifeguard, writeConfig } from "./support/lab.js";

const support = sandboxSupport();

describe("alerts of lifeguard check against real systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("an alert the channel refused for now is sent by the next check, exactly once", async () => {
    const bot = await installBot(sandbox, "alerted");
    // The alert program's records live in the bot's dir: the sandbox has a /tmp of its own.
    const records = join(bot.dir, "alerts");
    mkdirSync(records);
    const behave = (mode: string) => writeFileSync(join(records, "mode"), mode);
    const runs = (): ExecRun[] => readdirSync(records).filter((name) => name.startsWith("run-")).sort().map((name) => JSON.parse(readFileSync(join(records, name), "utf8")) as ExecRun);
    const config = writeConfig(bot, { "failure-threshold": 1, "startup-grace": "1s", restart: { "stop-timeout": "2s", "kill-wait": "1s", "verify-timeout": "10s" } }, {
      alerts: { pager: { type: "exec", command: [PYTHON, ALERT_PROGRAM, records] } },
      alerting: { retry: { initial: "1s", max: "1s" } },
    });

    behave("tempfail");
    await sandbox.exec(["systemctl", "stop", bot.unit]);
    const restarted = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(restarted.exitCode, 1, restarted.stdout + restarted.stderr);
    assert.match(restarted.stdout, /\[RESTART\] "bot" restarted \(reason: running\)/);
    assert.match(restarted.stdout, /\[WARN\] Cannot send through ".*" as it exited with code 75; alert "Restarted "bot" on .*" will be sent again in 1s/);
    assert.equal(runs().length, 1);

    behave("accept");
    await delay(1100); // the channel's retry wait
    const next = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(next.exitCode, 0, next.stdout + next.stderr);
    assert.match(next.stdout, /Sent (alert "Restarted "bot" on .*"|2 alerts as one digest) to "pager"/);
    const delivered = runs().slice(1);
    const kinds = delivered.flatMap((run) => (run.stdin as { alerts: Array<{ kind: string }> }).alerts.map((alert) => alert.kind));
    assert.deepEqual(kinds.filter((kind) => kind === "restarted"), ["restarted"]);

    const again = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(again.exitCode, 0);
    assert.equal(runs().length, 1 + delivered.length, "nothing is sent twice");

    // The history tells what became of the alert: sent on the second try.
    const history = await lifeguard(sandbox, ["history", "-c", config]);
    assert.match(history.stdout, /^\S+ \S+ +bot +alert +Restarted "bot" on \S+ → pager: sent \d\d:\d\d:\d\d$/m);
  });
});
