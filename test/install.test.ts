// `lifeguard install` and `uninstall` against a real systemd in a namespace sandbox with a /etc of
// its own (an overlay: the user, the polkit rule and logrotate's file never reach the host): a
// Python bot installed from `install-unit:` with MemoryMax= and CPUQuota= (read back with
// systemctl show), Lifeguard as a hardened daemon under the `lifeguard` system user it creates,
// allowed by a polkit rule (Debian's polkitd, started over the sandbox's D-Bus) to restart exactly
// that bot: it restarts it when it freezes, and after a reboot everything comes back by itself.
// Then: install again changes nothing; a file edited by hand is not overwritten without --force
// (the diff shown); uninstall --purge leaves /etc and the box as they were. The timer and cron
// modes have files of their own (install-timer, install-cron).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { sandboxSupport } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN } from "./support/lab.js";
import { BOT_UNIT as UNIT, lastRestart, startInstallLab, type InstallLab } from "./support/install-lab.js";

const support = sandboxSupport();
/** A unit Lifeguard's user was given no rights on. */
const OTHER = "lg-other.service";
/** /etc and the box's files and ACLs: compared before and after. */
const SNAPSHOT = ["sh", "-c", "cd / && find etc -xdev \\( -name '*-' -o -name '.pwd.lock' -o -path 'etc/systemd/system/*' \\) -prune -o -print | sort && find \"$0\" -type d -exec getfacl -p {} + 2>/dev/null"];

describe("lifeguard install under real systemd", { skip: support.ok ? false : support.reason }, () => {
  let lab: InstallLab;
  let treeBefore: string;
  const lifeguard = (args: string[]) => lab.lifeguard(args);
  const show = (unit: string, properties: string[]) => lab.show(unit, properties);
  const snapshot = async () => (await lab.sandbox.exec([...SNAPSHOT, lab.box])).stdout;
  /** A snapshot without what changes by itself: the bot's log and pid file, and a test's own config. */
  const comparable = (tree: string) => tree.split("\n").filter((line) => !/bot\.(log|pid)|ghost/.test(line));

  before(async () => {
    lab = await startInstallLab("install");
    treeBefore = await snapshot();
  });
  after(async () => {
    await lab?.close();
  });

  test("install writes the bot's unit with its limits and a hardened daemon as user lifeguard, starts both and verifies the first round", async () => {
    const installed = await lifeguard(["install"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /user lifeguard: created/);
    // The config is root's alone, as `lifeguard init` writes it: Lifeguard's user is let read it.
    assert.match(installed.stdout, /^\S+\/lifeguard\.yaml: lifeguard may read it \(u:lifeguard:r on \S+\/lifeguard\.yaml\)$/m);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    assert.deepEqual(await show(UNIT, ["MemoryMax", "CPUQuotaPerSecUSec", "User", "Restart", "UnitFileState", "ActiveState"]), {
      MemoryMax: String(256 * 1024 * 1024), CPUQuotaPerSecUSec: "500ms", User: "nobody", Restart: "on-failure", UnitFileState: "enabled", ActiveState: "active",
    });
    const daemon = await show("lifeguard.service", ["User", "Type", "WatchdogUSec", "NoNewPrivileges", "ProtectSystem", "UnitFileState", "ActiveState"]);
    assert.deepEqual(daemon, { User: "lifeguard", Type: "notify", WatchdogUSec: "30s", NoNewPrivileges: "yes", ProtectSystem: "strict", UnitFileState: "enabled", ActiveState: "active" });
  });

  test("the installed Lifeguard, as user lifeguard, restarts the frozen bot (polkit lets it)", async () => {
    await lab.freezeBotAndWaitForRestart(60_000);
    const restart = await lastRestart(lab);
    assert.match(restart?.reason ?? "", /^Log file is stale/, JSON.stringify(restart));
    assert.equal(restart?.ok, true);
    // Every step went through systemd on polkit's word: stop, kill (the frozen bot's cgroup), start.
    assert.deepEqual(restart?.steps.map((step) => `${step.step} ${step.ok}`).slice(0, 4), ["forensics true", "stop true", "kill true", "start true"]);
    // The daemon read the unit's state over the system bus, as its user, no systemctl process spawned for it.
    assert.equal(restart?.evidence.find((check) => check.check === "running")?.evidence.via, "dbus", JSON.stringify(restart?.evidence));
  });

  test("as user lifeguard, systemctl and the CLI are refused on a unit the polkit rule does not name; that unit is left alone", async () => {
    await lab.sandbox.writeUnit(OTHER, "[Service]\nExecStart=/bin/sleep infinity\n");
    await lab.sandbox.daemonReload();
    assert.ok((await lab.sandbox.exec(["systemctl", "start", OTHER])).ok);
    const otherPid = (await show(OTHER, ["MainPID"])).MainPID;
    const asLifeguard = (argv: string[]) => lab.sandbox.exec(["setpriv", "--reuid=lifeguard", "--regid=lifeguard", "--init-groups", "--", ...argv], { cwd: "/", timeoutMs: 60_000 });
    for (const verb of ["stop", "kill", "start"]) {
      const refused = await asLifeguard(["systemctl", verb, "--no-ask-password", "--", OTHER]);
      assert.notEqual(refused.exitCode, 0, verb);
      assert.match(refused.stderr, /Access denied|Interactive authentication required/, verb);
    }
    // A config of its own (state in the sandbox's private /tmp) that names the unrelated unit: the CLI as user lifeguard.
    const wider = join(lab.box, "wider.yaml");
    writeFileSync(wider, stringify({ state: "/tmp/wider-state", services: { other: { systemd: OTHER } } }));
    const cli = await asLifeguard([process.execPath, BIN, "restart", "other", "-c", wider]);
    assert.notEqual(cli.exitCode, 0, cli.stdout);
    assert.match(cli.stdout + cli.stderr, /Cannot stop unit "lg-other\.service"/);
    assert.deepEqual(await show(OTHER, ["ActiveState", "MainPID"]), { ActiveState: "active", MainPID: otherPid }, "the unrelated unit was not touched");
  });

  test("after a reboot (the plug pulled, a fresh systemd on the same disk) the bot and Lifeguard come back by themselves, and Lifeguard watches the bot again", async () => {
    const bootedAt = Date.now();
    await lab.reboot();
    assert.ok(await waitFor(async () => (await show(UNIT, ["ActiveState"])).ActiveState === "active" && (await show("lifeguard.service", ["ActiveState"])).ActiveState === "active", { timeoutMs: 60_000, intervalMs: 250 }), "the bot and Lifeguard were not started at boot");
    // A new daemon, started at boot, watches the bot and finds it healthy (a healthy round refreshes
    // the stored last check at most every 5 minutes: the watcher's start and beats are what is fresh).
    let status: { services: Array<{ service: string; health: { kind: string }; watch: { kind: string; since?: number } }> } = { services: [] };
    assert.ok(await waitFor(async () => {
      status = JSON.parse((await lifeguard(["status", "--json"])).stdout) as typeof status;
      return status.services.some((service) => service.service === "bot" && service.health.kind === "healthy" && service.watch.kind === "watched" && (service.watch.since ?? 0) > bootedAt);
    }, { timeoutMs: 60_000, intervalMs: 500 }), JSON.stringify(status));
    // And it still restarts the bot, as the user it was installed as, after the reboot.
    await lab.freezeBotAndWaitForRestart(60_000);
  });

  test("install again changes nothing; a file edited by hand is kept, with the diff, until --force", async () => {
    const again = await lifeguard(["install"]);
    assert.equal(again.exitCode, 0, again.stdout);
    assert.match(again.stdout, /lifeguard\.service: unchanged/);
    assert.match(again.stdout, /^\S+\/bot\.log: lifeguard may read it already$/m, "no ACL entry set (nor recorded) again");
    assert.doesNotMatch(again.stdout, /: (written|updated|replaced)/);

    const unitFile = "/etc/systemd/system/lifeguard.service";
    assert.ok((await lab.sandbox.exec(["sh", "-c", `echo '# mine' >> ${unitFile} && echo '# mine' >> /etc/systemd/system/${UNIT}`])).ok);
    const bot = (await show(UNIT, ["MainPID"])).MainPID;
    const refused = await lifeguard(["install"]);
    assert.equal(refused.exitCode, 73, refused.stdout);
    assert.match(refused.stdout, /lifeguard\.service was changed by hand: not overwritten without --force/);
    assert.match(refused.stdout, /^-# mine$/m, "the diff shows the line that would go");
    const forced = await lifeguard(["install", "--force"]);
    assert.equal(forced.exitCode, 0, forced.stdout);
    assert.match(forced.stdout, /lifeguard\.service: replaced/);
    assert.match(forced.stdout, /lifeguard\.service: enabled already; started; restarted with its new unit file/);
    // The bot's unit changed in a comment only (as every file's header does after an upgrade): the bot is not restarted for it.
    assert.match(forced.stdout, new RegExp(`^${UNIT.replace(".", "\\.")}: enabled already; started$`, "m"));
    assert.equal((await show(UNIT, ["MainPID"])).MainPID, bot);
  });

  test("uninstall refuses a file changed since install wrote it (nothing changed); with --force and --purge it removes exactly what install did: /etc and the lab's files and ACLs are as before", async () => {
    assert.ok((await lab.sandbox.exec(["sh", "-c", "echo '# mine' >> /etc/logrotate.d/lifeguard"])).ok);
    const refused = await lifeguard(["uninstall", "--purge"]);
    assert.equal(refused.exitCode, 73, refused.stdout);
    assert.match(refused.stdout, /\/etc\/logrotate\.d\/lifeguard was changed since `lifeguard install [^`]+` wrote it: not removed without --force\nNothing was changed\./);
    assert.equal((await show("lifeguard.service", ["ActiveState"])).ActiveState, "active", "nothing was stopped");
    const removed = await lifeguard(["uninstall", "--purge", "--force"]);
    assert.equal(removed.exitCode, 0, `${removed.stdout}\n${removed.stderr}`);
    for (const unit of [UNIT, "lifeguard.service"]) assert.equal((await show(unit, ["LoadState"])).LoadState, "not-found", unit);
    assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "the user is gone");
    const after = await snapshot();
    assert.deepEqual(comparable(after), comparable(treeBefore), removed.stdout);
  });

  test("a unit that neither exists nor has install-unit: is refused before anything changes", async () => {
    const ghost = join(lab.box, "ghost.yaml");
    writeFileSync(ghost, stringify({ state: join(lab.box, "ghost-state"), services: { ghost: { systemd: "ghost.service" } } }));
    const refused = await lab.sandbox.exec([process.execPath, BIN, "install", "-c", ghost], { timeoutMs: 60_000, cwd: "/" });
    assert.equal(refused.exitCode, 78, refused.stdout);
    assert.match(refused.stdout, /ghost\.service does not exist, and the config has no `install-unit:` for it/);
    assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "no user was created");
  });

  test("a log.file in a directory install did not make (the bot's own) is refused before anything changes: the directory keeps its owner and mode", async () => {
    const shared = join(lab.box, "shared.yaml");
    const config = parse(readFileSync(lab.config, "utf8")) as Record<string, unknown>;
    writeFileSync(shared, stringify({ ...config, log: { file: join(lab.botDir, "lifeguard.log") } }));
    const before = await lab.sandbox.exec(["stat", "-c", "%U %a", lab.botDir]);
    const refused = await lab.sandbox.exec([process.execPath, BIN, "install", "-c", shared], { timeoutMs: 60_000, cwd: "/" });
    assert.equal(refused.exitCode, 78, refused.stdout);
    assert.match(refused.stdout, new RegExp(`^${lab.botDir}, log\\.file's directory, holds files that are not Lifeguard's \\("bot\\.log", .*\\) and install did not make it: install would make it lifeguard's with mode 750 ` +
      `\\(ReadWritePaths=\\), taking it from whoever uses it now\\. Give Lifeguard a directory of its own, which install makes, in ${shared}: log: \\{ file: /var/log/lifeguard/lifeguard\\.log \\}$`, "m"));
    assert.equal((await lab.sandbox.exec(["stat", "-c", "%U %a", lab.botDir])).stdout, before.stdout, "the bot's directory is as it was");
    assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "no user was created");
  });

  test("a user that cannot be created: the install stops at once, nothing changed", async () => {
    const refused = await lifeguard(["install", "--user", "no:such"]);
    assert.equal(refused.exitCode, 1, refused.stdout);
    assert.match(refused.stdout, /lifeguard install failed: useradd .* failed: .*\nNothing had been changed\./);
  });

  test("a read-only /etc: the install stops at its first step with the reason, nothing changed", async () => {
    assert.ok((await lab.sandbox.exec(["mount", "-o", "remount,bind,ro", "/etc"])).ok);
    try {
      const refused = await lifeguard(["install"]);
      assert.equal(refused.exitCode, 1, refused.stdout);
      assert.match(refused.stdout, /^lifeguard install failed: useradd .* failed: .*\/etc\/(passwd|group).*\nNothing had been changed\.$/m);
    } finally {
      assert.ok((await lab.sandbox.exec(["mount", "-o", "remount,bind,rw", "/etc"])).ok);
    }
    assert.deepEqual(comparable(await snapshot()), comparable(treeBefore));
  });

  test("a step that fails half-way (a read-only unit directory) rolls back what was done: the user, the directories and the ACL entries go", async () => {
    assert.ok((await lab.sandbox.exec(["mount", "-o", "remount,bind,ro", "/etc/systemd/system"])).ok);
    try {
      const failed = await lifeguard(["install"]);
      assert.equal(failed.exitCode, 1, failed.stdout);
      assert.match(failed.stdout, /^lifeguard install failed: cannot write \/etc\/systemd\/system\/lg-bot\.service: the file system is read-only$/m);
      assert.match(failed.stdout, /Rolling back what was done:\n {2}undone: ACL u:lifeguard:r on \S+\/lifeguard\.yaml\n {2}undone: ACL -d u:lifeguard:r on \S+\/bot\n {2}undone: created \S+\/log\n {2}undone: created \S+\/state\n {2}undone: created user lifeguard/);
    } finally {
      assert.ok((await lab.sandbox.exec(["mount", "-o", "remount,bind,rw", "/etc/systemd/system"])).ok);
    }
    assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2);
    const after = await snapshot();
    assert.deepEqual(comparable(after), comparable(treeBefore));
  });

  test("a unit that is enabled but fails to start is taken back too: disabled, stopped, forgotten by systemd (no restart loop left behind)", async () => {
    const dropIn = "/etc/systemd/system/lifeguard.service.d";
    assert.ok((await lab.sandbox.exec(["sh", "-c", `mkdir -p ${dropIn} && printf '[Service]\\nExecStartPre=/bin/false\\n' > ${dropIn}/fail.conf`])).ok);
    try {
      const failed = await lifeguard(["install"]);
      assert.equal(failed.exitCode, 1, failed.stdout);
      assert.match(failed.stdout, /^lifeguard install failed: systemctl enable --now lifeguard\.service failed: /m);
      assert.match(failed.stdout, /\n {2}undone: written \/etc\/systemd\/system\/lifeguard\.service\n(.*\n)* {2}systemctl daemon-reload$/m);
      // Forgotten: its file is gone and systemd read its directories again (the drop-in alone is no unit).
      const daemon = await show("lifeguard.service", ["LoadState", "ActiveState"]);
      assert.notEqual(daemon.LoadState, "loaded", JSON.stringify(daemon));
      assert.equal(daemon.ActiveState, "inactive", "stopped, not left restarting itself");
      assert.equal((await lab.sandbox.exec(["test", "-e", "/etc/systemd/system/multi-user.target.wants/lifeguard.service"])).exitCode, 1, "not enabled");
      assert.equal((await show(UNIT, ["LoadState"])).LoadState, "not-found", "the bot's unit went too");
    } finally {
      assert.ok((await lab.sandbox.exec(["sh", "-c", `rm -rf ${dropIn} && systemctl daemon-reload`])).ok);
    }
    assert.equal((await lab.sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2);
  });
});
