// `lifeguard install --cron` (the seed's way) under a real systemd with Debian's cron running in
// it (see install.test.ts for the box): /etc/cron.d/lifeguard runs `lifeguard check` every minute
// as the `lifeguard` user under flock; install enables and starts cron, runs the first round as
// cron will and verifies it, cron really fires a later one that restarts the frozen bot (the
// config's secret read by `lifeguard check` itself from the environment file beside it: cron loads
// none), after a reboot cron (enabled by install) fires again by itself and restarts it again,
// `uninstall --purge` removes the file (and disables cron again). A box without cron is refused.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../src/testing/wait-for.js";
import { sandboxSupport } from "../src/testing/systemd-sandbox.js";
import { lastRestart, rebootAndFreezeBot, startInstallLab, type InstallLab } from "./support/install-lab.js";

const support = sandboxSupport();
const CRON = "/usr/sbin/cron";
const skip = !support.ok ? support.reason : existsSync(CRON) ? false : `${CRON} is not installed (Debian package "cron")`;
/** Cron fires on the minute: a freeze is seen at the next one, up to a minute later. */
const NEXT_MINUTE_MS = 90_000;
/** After a boot: the bot's startup grace may hold the first minute's round back, the next one acts. */
const AFTER_BOOT_MS = 2 * NEXT_MINUTE_MS;

describe("lifeguard install --cron with a real cron", { skip }, () => {
  let lab: InstallLab;
  before(async () => {
    // An alert channel whose secret is in lifeguard.env beside the config (root's, mode 600), as
    // `lifeguard init` tells users to keep it: cron has no EnvironmentFile=, `lifeguard check` reads it.
    lab = await startInstallLab("cron", { alerts: { journal: { type: "exec", command: ["/usr/bin/logger", "-t", "lifeguard-alert"], env: { ALERT_TOKEN: "${ALERT_TOKEN}" } } } });
    appendFileSync(join(lab.box, "lifeguard.env"), "ALERT_TOKEN=s3cret\n");
    // The box's cron runs only Lifeguard's job: the host's /etc/crontab and packages' cron.d files
    // (daily jobs such as logrotate's would act on the shared disk) are emptied in the box's /etc
    // overlay. Cron is neither enabled nor running: install must see to both.
    const emptied = await lab.sandbox.exec(["sh", "-c", "find /etc/cron.d -type f -delete && : > /etc/crontab"]);
    assert.ok(emptied.ok, emptied.stderr);
  });
  after(async () => {
    await lab?.close();
  });

  test("a box whose cron cannot run (its unit masked) is refused before anything changes", async () => {
    assert.ok((await lab.sandbox.exec(["systemctl", "mask", "--runtime", "cron.service"])).ok);
    try {
      const refused = await lab.lifeguard(["install", "--cron"]);
      assert.equal(refused.exitCode, 78, refused.stdout);
      assert.match(refused.stdout, /^--cron: no cron daemon on this box \(neither cron\.service nor crond\.service exists\), so the job would never run: install cron \(apt-get install cron\), or use --timer, which needs none$/m);
      assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "no user was created");
    } finally {
      assert.ok((await lab.sandbox.exec(["systemctl", "unmask", "--runtime", "cron.service"])).ok);
    }
  });

  test("install --cron writes the cron file for user lifeguard, enables and starts cron, and verifies the first round, run as cron will run it", async () => {
    const installed = await lab.lifeguard(["install", "--cron"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /^cron\.service: enabled \(starts at boot\) and started$/m);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    const file = await lab.sandbox.exec(["cat", "/etc/cron.d/lifeguard"]);
    assert.match(file.stdout, /^\* \* \* \* \* lifeguard \/usr\/bin\/flock -n \S+\/check\.flock /m);
  });

  test("cron's next minute restarts the frozen bot, as user lifeguard, and its alert goes out with the secret loaded from lifeguard.env", async () => {
    await lab.freezeBotAndWaitForRestart(NEXT_MINUTE_MS);
    const restart = await lastRestart(lab);
    assert.match(restart?.reason ?? "", /^Log file is stale/, JSON.stringify(restart));
    assert.equal(restart?.ok, true);
    const alerts = async () => (await lab.sandbox.exec(["journalctl", "--no-pager", "-o", "cat", "-t", "lifeguard-alert"])).stdout;
    assert.ok(await waitFor(async () => /"kind":"restart/.test(await alerts()), { timeoutMs: NEXT_MINUTE_MS, intervalMs: 500 }), await alerts());
  });

  test("doctor: the cron file runs Lifeguard while cron runs; with cron stopped it fails, and its fix, run as printed, mends it", async () => {
    // The watcher finding, and its fix when it has one.
    const watcher = async () => {
      const lines = (await lab.lifeguard(["doctor"])).stdout.split("\n");
      const at = lines.findIndex((line) => /^\S+ +watcher /.test(line));
      return lines.slice(at, at + 2).filter((line, index) => index === 0 || line.startsWith("      fix: "));
    };
    assert.deepEqual(await watcher(), ["ok    watcher /etc/cron.d/lifeguard runs lifeguard check every minute (cron.service is active and enabled)"]);
    assert.ok((await lab.sandbox.exec(["systemctl", "disable", "--now", "cron.service"])).ok);
    const [broken, fixLine] = await watcher();
    assert.equal(broken, "FAIL  watcher /etc/cron.d/lifeguard exists but cron.service is not running and enabled (ActiveState=inactive, UnitFileState=disabled): nothing runs lifeguard check");
    const fix = fixLine?.replace(/^ {6}fix: /, "") ?? "";
    assert.equal(fix, "systemctl enable --now cron.service");
    assert.ok((await lab.sandbox.exec(["sh", "-c", fix])).ok);
    assert.deepEqual(await watcher(), ["ok    watcher /etc/cron.d/lifeguard runs lifeguard check every minute (cron.service is active and enabled)"]);
  });

  test("after a reboot cron, enabled by install, runs lifeguard check again by itself and its round restarts the frozen bot", async () => {
    const restart = await rebootAndFreezeBot(lab, "cron.service", AFTER_BOOT_MS);
    assert.match(restart.reason, /^Log file is stale/, JSON.stringify(restart));
    assert.equal(restart.ok, true);
  });

  test("uninstall --purge removes the cron file, and disables the cron install enabled", async () => {
    const removed = await lab.lifeguard(["uninstall", "--purge"]);
    assert.equal(removed.exitCode, 0, removed.stdout);
    assert.equal((await lab.sandbox.exec(["test", "-e", "/etc/cron.d/lifeguard"])).exitCode, 1);
    assert.deepEqual(await lab.show("cron.service", ["UnitFileState", "ActiveState"]), { UnitFileState: "disabled", ActiveState: "inactive" });
  });
});
