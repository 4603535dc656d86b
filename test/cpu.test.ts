// The `cpu` check under `lifeguard run` against real systemd units in the sandbox: a busy loop is
// restarted as pegged, a deadlocked bot whose heartbeat thread still logs "alive" as frozen, and a
// bot that works in healthy bursts is left alone; and the process states: a thread stuck in D,
// zombies never reaped, open files never closed are restarted, a bot whose threads, files and
// children come and go is left alone.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { cpuBotArgv, statesBotArgv } from "../src/testing/bots.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { watchUnits } from "./support/watched-units.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
const CPU = { cpu: { pegged: { above: 80, for: "4s" }, frozen: { below: 1, for: "4s" } } };
// One look a second: `growing` needs 8 looks in its window.
const STATES = { cpu: { "stuck-in-d": "3s", "max-zombies": 2, growing: { threads: "8s", fds: "8s" } } };

describe("cpu under lifeguard run and systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let logText: () => string = () => "";

  before(async () => {
    sandbox = await startSandbox();
    logText = await watchUnits(sandbox, "cpu", {
      busy: { argv: cpuBotArgv({ busy: true }), check: CPU },
      stuck: { argv: cpuBotArgv({ deadlockAfterS: 1 }), check: CPU },
      bursty: { argv: cpuBotArgv({ bursty: true }), check: CPU },
      blocked: { argv: statesBotArgv("stuck-in-d"), check: STATES },
      zombies: { argv: statesBotArgv({ zombies: 3 }), check: STATES },
      leaky: { argv: statesBotArgv("leak-fds"), check: STATES },
      churn: { argv: statesBotArgv("churn"), check: STATES },
    });
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("a busy loop is restarted as pegged", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] busy: Restarting "busy" \(1 of 3 in the last 1h\): "busy" ran or waited to run \d+% of the last \d+s \(\d+(\.\d)?% of a core\), above 80% for 4s: a busy loop\?/.test(logText()), WAIT), logText());
  });

  test("a deadlocked bot whose heartbeat thread logs \"alive\" is restarted as frozen", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] stuck: Restarting "stuck" \(1 of 3 in the last 1h\): "stuck" used \d(\.\d)?% of a core over the last \d+s, under 1% for 4s: it does no work/.test(logText()), WAIT), logText());
  });

  test("a bot with a thread stuck in uninterruptible sleep is restarted, the thread named", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] blocked: Restarting "blocked" \(1 of 3 in the last 1h\): "blocked"'s thread \d+ \("python3"\) has been in uninterruptible sleep \(D\) for \d(\.\d)?s, waiting in \w+, over its stuck-in-d of 3s/.test(logText()), WAIT), logText());
  });

  test("a bot that never reaps its children is restarted for its zombies, counted under its unit's cgroup", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] zombies: Restarting "zombies" \(1 of 3 in the last 1h\): "zombies" has 3 zombie processes, children it never reaped \(of pid \d+\), over its max-zombies of 2/.test(logText()), WAIT), logText());
  });

  test("a bot that opens files and never closes them is restarted", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] leaky: Restarting "leaky" \(1 of 3 in the last 1h\): "leaky"'s open files rose across the last \d+s with no return to an earlier low/.test(logText()), WAIT), logText());
  });

  test("bots that work in healthy bursts, or whose threads, files and children come and go, are never restarted", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] stuck: /.test(logText()) && /\[RESTART\] leaky: /.test(logText()), WAIT));
    await delay(5000);
    assert.doesNotMatch(logText(), /\] bursty: /, "nothing was said of the bursty bot");
    assert.doesNotMatch(logText(), /\] churn: /, "nothing was said of the churning bot");
  });
});
