// `lifeguard install --cron` (the seed's way) under a real systemd with Debian's cron running in
// it (see install.test.ts for the box): /etc/cron.d/lifeguard runs `lifeguard check` every minute
// as the `lifeguard` user under flock; install refuses while cron does not run, runs the first round
// as cron will and verifies it, cron really fires a later one that restarts the frozen bot (the
// config's secret read by `lifeguard check` itself from the environment file beside it: cron loads
// none), and `uninstall --purge` removes the file.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { sandboxSupport } from "../src/testing/systemd-sandbox.js";
import { lastRestart, startInstallLab, type InstallLab } from "./support/install-lab.js";

const support = sandboxSupport();
const CRON = "/usr/sbin/cron";
const skip = !support.ok ? support.reason : existsSync(CRON) ? false : `${CRON} is not installed (Debian package "cron")`;
/** Cron fires on the minute: a freeze is seen at the next one, up to a minute later. */
const NEXT_MINUTE_MS = 90_000;

describe("lifeguard install --cron with a real cron", { skip }, () => {
  let lab: InstallLab;
  before(async () => {
    lab = await startInstallLab("cron");
    // The box's cron runs only Lifeguard's job: the host's /etc/crontab and packages' cron.d files
    // (daily jobs such as logrotate's would act on the shared disk) are emptied in the box's /etc overlay.
    const cron = await lab.sandbox.exec(["sh", "-c", "find /etc/cron.d -type f -delete && : > /etc/crontab && systemctl enable --now cron.service"]);
    assert.ok(cron.ok, cron.stderr);
    // Cron notices a new file in /etc/cron.d by the directory's mtime, in whole seconds: a file
    // written in the second the emptied directory was loaded would go unseen until its next change.
    await delay(1100);
  });
  after(async () => {
    await lab?.close();
  });

  test("with cron stopped, install --cron refuses before any change: its job would never run", async () => {
    assert.ok((await lab.sandbox.exec(["systemctl", "stop", "cron.service"])).ok);
    try {
      const refused = await lab.lifeguard(["install", "--cron"]);
      assert.equal(refused.exitCode, 78, refused.stdout);
      assert.match(refused.stdout, /^cron\.service is not running and enabled \(ActiveState=inactive, UnitFileState=enabled\): the job in \/etc\/cron\.d\/lifeguard would not run\. Start it for good \(systemctl enable --now cron\.service\), or install with --timer instead/m);
      assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "no user was created");
    } finally {
      assert.ok((await lab.sandbox.exec(["systemctl", "start", "cron.service"])).ok);
    }
  });

  test("install --cron writes the cron file for user lifeguard and verifies the first round, run as cron will run it", async () => {
    const installed = await lab.lifeguard(["install", "--cron"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    const file = await lab.sandbox.exec(["cat", "/etc/cron.d/lifeguard"]);
    assert.match(file.stdout, /^\* \* \* \* \* lifeguard \/usr\/bin\/flock -n \S+\/check\.flock /m);
  });

  test("cron's next minute restarts the frozen bot, as user lifeguard", async () => {
    await lab.freezeBotAndWaitForRestart(NEXT_MINUTE_MS);
    const restart = await lastRestart(lab);
    assert.match(restart?.reason ?? "", /^Log file is stale/, JSON.stringify(restart));
    assert.equal(restart?.ok, true);
  });

  test("uninstall --purge removes the cron file", async () => {
    const removed = await lab.lifeguard(["uninstall", "--purge"]);
    assert.equal(removed.exitCode, 0, removed.stdout);
    assert.equal((await lab.sandbox.exec(["test", "-e", "/etc/cron.d/lifeguard"])).exitCode, 1);
  });
});
