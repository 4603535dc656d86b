// The `cpu` check under `lifeguard run` against real systemd units in the sandbox: a busy loop is
// restarted as pegged, a deadlocked bot whose heartbeat thread still logs "alive" as frozen, and a
// bot that works in healthy bursts is left alone.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { cpuBotArgv } from "../src/testing/bots.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { watchUnits } from "./support/watched-units.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const CPU = { cpu: { pegged: { above: 80, for: "4s" }, frozen: { below: 1, for: "4s" } } };

describe("cpu under lifeguard run and systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let logText: () => string = () => "";

  before(async () => {
    sandbox = await startSandbox();
    logText = await watchUnits(sandbox, "cpu", {
      busy: { argv: cpuBotArgv({ busy: true }), check: CPU },
      stuck: { argv: cpuBotArgv({ deadlockAfterS: 1 }), check: CPU },
      bursty: { argv: cpuBotArgv({ bursty: true }), check: CPU },
    });
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("a busy loop is restarted as pegged", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] busy: Restarting "busy" \(1 of 3 in the last 1h\): "busy" ran or waited to run \d+% of the last 4s \(\d+(\.\d)?% of a core\), above 80% for 4s: a busy loop\?/.test(logText()), WAIT), logText());
  });

  test("a deadlocked bot whose heartbeat thread logs \"alive\" is restarted as frozen", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] stuck: Restarting "stuck" \(1 of 3 in the last 1h\): "stuck" used \d(\.\d)?% of a core over the last 4s, under 1% for 4s: it does no work/.test(logText()), WAIT), logText());
  });

  test("a bot that works in healthy bursts is never restarted", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] stuck: /.test(logText()), WAIT));
    await delay(5000);
    assert.doesNotMatch(logText(), /\] bursty: /, "nothing was said of the bursty bot");
  });
});
