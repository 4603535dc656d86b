// `lifeguard install --timer` under a real systemd (see install.test.ts for the box): a oneshot
// `lifeguard check` started every minute by lifeguard-check.timer, as the `lifeguard` user; its
// first round is run and verified at install, a later minute's round restarts the frozen bot, after
// a reboot the timer fires again by itself and restarts it again, and `uninstall --purge` takes the
// timer away.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sandboxSupport } from "../src/testing/systemd-sandbox.js";
import { lastRestart, rebootAndFreezeBot, startInstallLab, type InstallLab } from "./support/install-lab.js";

const support = sandboxSupport();
/** The timer fires on the minute: a freeze is seen at the next one, up to a minute later. */
const NEXT_MINUTE_MS = 90_000;
/** After a boot: the bot's startup grace may hold the first minute's round back, the next one acts. */
const AFTER_BOOT_MS = 2 * NEXT_MINUTE_MS;

describe("lifeguard install --timer under real systemd", { skip: support.ok ? false : support.reason }, () => {
  let lab: InstallLab;
  before(async () => {
    lab = await startInstallLab("timer");
  });
  after(async () => {
    await lab?.close();
  });

  test("install --timer: a oneshot check every minute from a timer, as user lifeguard, its first round run and verified", async () => {
    const installed = await lab.lifeguard(["install", "--timer"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /lifeguard-check\.timer: enabled \(starts at boot\) and started/);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    assert.deepEqual(await lab.show("lifeguard-check.timer", ["ActiveState", "UnitFileState"]), { ActiveState: "active", UnitFileState: "enabled" });
    assert.equal((await lab.show("lifeguard-check.service", ["User"])).User, "lifeguard");
  });

  test("the timer's next round restarts the frozen bot", async () => {
    await lab.freezeBotAndWaitForRestart(NEXT_MINUTE_MS);
    const restart = await lastRestart(lab);
    assert.match(restart?.reason ?? "", /^Log file is stale/, JSON.stringify(restart));
    assert.equal(restart?.ok, true);
  });

  test("after a reboot the timer, enabled by install, fires again by itself and its round restarts the frozen bot", async () => {
    const restart = await rebootAndFreezeBot(lab, "lifeguard-check.timer", AFTER_BOOT_MS);
    assert.match(restart.reason, /^Log file is stale/, JSON.stringify(restart));
    assert.equal(restart.ok, true);
  });

  test("uninstall --purge takes the timer and its service away", async () => {
    const removed = await lab.lifeguard(["uninstall", "--purge"]);
    assert.equal(removed.exitCode, 0, removed.stdout);
    for (const unit of ["lifeguard-check.timer", "lifeguard-check.service"]) assert.equal((await lab.show(unit, ["LoadState"])).LoadState, "not-found", unit);
  });
});
