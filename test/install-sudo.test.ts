// `lifeguard install` with `privilege: sudo` against a real systemd in a namespace sandbox with a
// /etc of its own, on a box without polkit: polkit.service is masked inside the sandbox (the host
// has polkitd), so systemd refuses every user but root, which the test checks first. install then
// refuses the default privilege (polkit) before changing anything; with `privilege: sudo` it writes
// a sudoers drop-in, checked by visudo (a visudo that rejects it: nothing installed, everything
// rolled back), for exactly the runner's command lines. The installed daemon, as user lifeguard,
// restarts a frozen bot through `sudo -n systemctl`; the CLI run as that user restarts a unit whose
// name needs sudoers' escapes and is refused on an unrelated unit; doctor asks `sudo -l` and reads
// the daemon's own privileges; uninstall --purge leaves /etc as it was; and the timer's check unit
// restarts through sudo too.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, chownSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import { LOG_BOT, logBotArgv } from "../src/testing/bots.js";
import { LAB_ROOT, sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { findProgram } from "../src/process/find-program.js";
import { BIN, signalInside } from "./support/lab.js";

const support = sandboxSupport();
const skip = !support.ok ? support.reason : findProgram("sudo") === null || findProgram("visudo", ["/usr/sbin", "/sbin"]) === null ? 'sudo is not installed (Debian package "sudo")' : false;
const NOBODY = 65534;
const UNIT = "lg-bot.service";
/** A unit name sudoers must escape twice over: a template instance with ":" and systemd's "\x2d". */
const WEB = "lg-web@a:b\\x2dc.service";
const OTHER = "lg-other.service";
const SUDOERS = "/etc/sudoers.d/lifeguard";
/** /etc and the lab's directories with their ACLs: compared before and after. */
const SNAPSHOT = ["sh", "-c", "cd / && find etc -xdev \\( -name '*-' -o -name '.pwd.lock' -o -path 'etc/systemd/system/*' \\) -prune -o -print | sort && find \"$0\" -type d -exec getfacl -p {} + 2>/dev/null"];

describe("lifeguard install with privilege: sudo, on a box without polkit, under real systemd", { skip }, () => {
  let sandbox: Sandbox;
  const overlay = join(LAB_ROOT, `etc-${process.pid}-${randomBytes(4).toString("hex")}`);
  let dir: string;
  let config: string;
  let treeBefore: string;
  const lifeguard = (args: string[], file = config) => sandbox.exec([process.execPath, BIN, ...args, "-c", file], { timeoutMs: 240_000, cwd: "/" });
  /** argv run as user lifeguard (its uid, gid and groups; no_new_privs unset, as under cron). */
  const asLifeguard = async (argv: string[]): Promise<string[]> => {
    const uid = (await sandbox.exec(["id", "-u", "lifeguard"])).stdout.trim();
    const gid = (await sandbox.exec(["id", "-g", "lifeguard"])).stdout.trim();
    return ["setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--init-groups", "--", ...argv];
  };
  const show = async (unit: string, properties: string[]): Promise<Record<string, string>> => {
    const shown = await sandbox.exec(["systemctl", "show", ...properties.map((property) => `--property=${property}`), "--", unit]);
    return Object.fromEntries(shown.stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  };
  const lines = (tree: string) => tree.split("\n").filter((line) => !/bot\.(log|pid)/.test(line));
  /** Freezes the bot and waits until a new main process runs in its place. */
  const freezeAndAwaitRestart = async (): Promise<void> => {
    const mainPid = Number((await show(UNIT, ["MainPID"])).MainPID);
    assert.ok(mainPid > 0);
    await signalInside(sandbox, mainPid, "STOP");
    assert.ok(await waitFor(async () => {
      const shown = await show(UNIT, ["MainPID", "ActiveState"]);
      return shown.ActiveState === "active" && shown.MainPID !== String(mainPid) && shown.MainPID !== "0";
    }, { timeoutMs: 60_000, intervalMs: 250 }), "not restarted");
  };
  const lastRestart = async () => {
    const history = await lifeguard(["history", "--json"]);
    const { entries } = JSON.parse(history.stdout) as { entries: Array<{ type: string; restart?: { ok: boolean; reason: string; steps: Array<{ step: string; ok: boolean }> } }> };
    return entries.find((entry) => entry.type === "restart")?.restart;
  };

  before(async () => {
    sandbox = await startSandbox({ etcOverlay: overlay });
    // No polkit on this box: its unit masked (in the sandbox's private /run), so D-Bus cannot start it.
    assert.ok((await sandbox.exec(["systemctl", "mask", "--runtime", "polkit.service"])).ok);
    // systemctl as another user than root reaches systemd over the system bus.
    assert.ok((await sandbox.exec(["systemctl", "start", "dbus.socket"])).ok);
    await sandbox.writeUnit(OTHER, "[Service]\nExecStart=/bin/sleep infinity\n");
    await sandbox.daemonReload();
    assert.ok((await sandbox.exec(["systemctl", "start", OTHER])).ok);
    dir = join(sandbox.workdir, "bot");
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chownSync(dir, NOBODY, NOBODY);
    const script = join(sandbox.workdir, "log-bot.py");
    copyFileSync(LOG_BOT, script);
    chmodSync(script, 0o755);
    const log = join(dir, "bot.log");
    const services = {
      bot: {
        systemd: UNIT,
        "install-unit": { "exec-start": [...logBotArgv(log, { everyMs: 200, script, pidFile: join(dir, "bot.pid") })], user: "nobody" },
        interval: "1s",
        checks: [{ "log-fresh": { path: log, "max-age": "2s" } }],
        "failure-threshold": 1,
        "startup-grace": "3s",
        restart: { "stop-timeout": "2s", "verify-timeout": "10s", backoff: { initial: "1s" } },
      },
      web: { systemd: WEB, "install-unit": { "exec-start": ["/bin/sleep", "infinity"], user: "nobody" }, interval: "5s" },
    };
    const common = { state: join(sandbox.workdir, "state"), log: { file: join(sandbox.workdir, "log", "lifeguard.log") } };
    config = join(sandbox.workdir, "lifeguard.yaml");
    writeFileSync(config, stringify({ ...common, privilege: "sudo", services }));
    writeFileSync(join(sandbox.workdir, "polkit.yaml"), stringify({ ...common, services }));
    treeBefore = (await sandbox.exec([...SNAPSHOT, sandbox.workdir])).stdout;
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(overlay, { recursive: true, force: true });
  });

  test("without polkit, install with the default privilege refuses before changing anything, and names both ways out", async () => {
    const refused = await lifeguard(["install"], join(sandbox.workdir, "polkit.yaml"));
    assert.equal(refused.exitCode, 78, refused.stdout);
    assert.match(refused.stdout, /^polkit\.service is masked: Lifeguard's user could not start, stop or kill lg-bot\.service, lg-web@a:b\\x2dc\.service, as systemd lets only root and whom polkit allows\. Install polkit \(apt-get install polkitd\), or set `privilege: sudo` in \S+\/polkit\.yaml: install then writes a sudoers drop-in instead/m);
    assert.equal((await sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "no user was created");
    // A dry run says the same, and still shows every file it would write once that is mended.
    const dry = await lifeguard(["install", "--dry-run"], join(sandbox.workdir, "polkit.yaml"));
    assert.equal(dry.exitCode, 78, dry.stdout);
    assert.match(dry.stdout, /^polkit\.service is masked: /m);
    assert.match(dry.stdout, /^- write \/etc\/polkit-1\/rules\.d\/50-lifeguard\.rules \(the polkit rule that lets lifeguard control lg-bot\.service, .*\):\n {4}\/\/ Written by `lifeguard install /m);
    assert.match(dry.stdout, /^- write \/etc\/systemd\/system\/lifeguard\.service \(Lifeguard's daemon unit, mode 644\):\n {4}# Written by `lifeguard install /m);
    assert.match(dry.stdout, /\nlifeguard install would refuse to do it until what is said above is mended: it would change nothing\.\n$/);
  });

  test("a drop-in that visudo rejects is not put in place: the install stops there and rolls back everything before it", async () => {
    // A visudo that rejects every file, as a real one rejects a broken one (bound over it in the sandbox only).
    const fake = join(sandbox.workdir, "visudo");
    writeFileSync(fake, '#!/bin/sh\n# visudo -c -f FILE\necho "$3:5:31: syntax error" >&2\nexit 1\n', { mode: 0o755 });
    assert.ok((await sandbox.exec(["mount", "--bind", fake, "/usr/sbin/visudo"])).ok);
    try {
      const failed = await lifeguard(["install"]);
      assert.equal(failed.exitCode, 1, failed.stdout);
      assert.match(failed.stdout, /^lifeguard install failed: cannot write \/etc\/sudoers\.d\/lifeguard: `visudo -c -f` rejects it: \/etc\/sudoers\.d\/lifeguard:5:31: syntax error$/m);
      assert.match(failed.stdout, /Rolling back what was done:\n(?: {2}undone: .*\n)* {2}undone: written \/etc\/systemd\/system\/lg-bot\.service\n(?: {2}undone: .*\n)* {2}undone: created user lifeguard/);
    } finally {
      assert.ok((await sandbox.exec(["umount", "/usr/sbin/visudo"])).ok);
    }
    assert.equal((await sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2);
    assert.deepEqual(lines((await sandbox.exec([...SNAPSHOT, sandbox.workdir])).stdout), lines(treeBefore), "nothing under /etc/sudoers.d, nothing else left");
  });

  test("install writes the sudoers drop-in (root's, 0440, accepted by visudo -c) instead of a polkit rule, and a daemon sudo can gain root in", async () => {
    const installed = await lifeguard(["install"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /^\/etc\/sudoers\.d\/lifeguard: written \(the sudoers drop-in that lets lifeguard control lg-bot\.service, lg-web@a:b\\x2dc\.service through sudo\)$/m);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    assert.equal((await sandbox.exec(["test", "-e", "/etc/polkit-1/rules.d/50-lifeguard.rules"])).exitCode, 1, "no polkit rule");
    assert.equal((await sandbox.exec(["stat", "-c", "%a %U %G", SUDOERS])).stdout.trim(), "440 root root");
    // The whole sudoers configuration, with its owners and modes, as sudo reads it.
    const checked = await sandbox.exec(["visudo", "-c"]);
    assert.equal(checked.exitCode, 0, checked.stdout + checked.stderr);
    assert.match(checked.stdout, /^\/etc\/sudoers\.d\/lifeguard: parsed OK$/m);
    const daemon = await show("lifeguard.service", ["User", "NoNewPrivileges", "CapabilityBoundingSet", "ProtectSystem", "ActiveState"]);
    assert.deepEqual(daemon, { User: "lifeguard", NoNewPrivileges: "no", CapabilityBoundingSet: "cap_setgid cap_setuid cap_audit_write", ProtectSystem: "strict", ActiveState: "active" });
    assert.match(await sandbox.exec(["cat", join(sandbox.workdir, "log", "lifeguard.log")]).then((read) => read.stdout), /Lifeguard started: .*; units are controlled through `sudo -n systemctl` \(privilege: sudo\)$/m);
  });

  test("user lifeguard without sudo is refused by systemd itself: polkit is absent", async () => {
    const refused = await sandbox.exec(await asLifeguard(["systemctl", "stop", "--no-block", "--no-ask-password", "--", UNIT]));
    assert.equal(refused.exitCode, 1);
    assert.match(refused.stderr, /polkit\.service is masked/);
    assert.equal((await show(UNIT, ["ActiveState"])).ActiveState, "active");
  });

  test("the installed daemon, as user lifeguard, restarts the frozen bot through sudo -n systemctl", async () => {
    await freezeAndAwaitRestart();
    const restart = await lastRestart();
    assert.match(restart?.reason ?? "", /^Log file is stale/);
    assert.equal(restart?.ok, true);
    assert.deepEqual(restart?.steps.map((step) => `${step.step} ${step.ok}`).slice(0, 4), ["forensics true", "stop true", "kill true", "start true"]);
  });

  test("as user lifeguard, sudo and the CLI restart a unit whose name needs sudoers' escapes, and are refused on an unrelated unit", async () => {
    const state = join(sandbox.workdir, "cli-state");
    mkdirSync(state, { mode: 0o750 });
    const uid = Number((await sandbox.exec(["id", "-u", "lifeguard"])).stdout.trim());
    chownSync(state, uid, uid);
    const cli = join(sandbox.workdir, "cli.yaml");
    writeFileSync(cli, stringify({ state, privilege: "sudo", services: { web: { systemd: WEB }, other: { systemd: OTHER } } }));
    const otherPid = (await show(OTHER, ["MainPID"])).MainPID;
    for (const argv of [["restart", OTHER], ["stop", "--no-block", "--no-ask-password", "--", OTHER], ["kill", "--kill-whom=all", "--signal=SIGKILL", "--no-ask-password", "--", OTHER]]) {
      const refused = await sandbox.exec(await asLifeguard(["sudo", "-n", "systemctl", ...argv]));
      assert.equal(refused.exitCode, 1, argv.join(" "));
      assert.match(refused.stderr, /^sudo: a password is required$/m);
    }
    const own = await sandbox.exec(await asLifeguard([process.execPath, BIN, "restart", "other", "-c", cli]), { cwd: "/" });
    assert.equal(own.exitCode, 1, own.stdout + own.stderr);
    assert.match(own.stdout + own.stderr, /Cannot stop unit "lg-other\.service" as sudo -n systemctl failed with exit code 1/);
    assert.deepEqual(await show(OTHER, ["ActiveState", "MainPID"]), { ActiveState: "active", MainPID: otherPid }, "the unrelated unit was not touched");

    const webPid = (await show(WEB, ["MainPID"])).MainPID;
    // Through the installed daemon's own config and state: its lock keeps its round (which hears the
    // stop over the bus at once) from restarting the unit in the middle of this restart.
    const restarted = await sandbox.exec(await asLifeguard([process.execPath, BIN, "restart", "web", "-c", config]), { cwd: "/" });
    assert.equal(restarted.exitCode, 0, restarted.stdout + restarted.stderr);
    const after = await show(WEB, ["ActiveState", "MainPID"]);
    assert.equal(after.ActiveState, "active");
    assert.notEqual(after.MainPID, webPid);
    rmSync(state, { recursive: true, force: true });
  });

  test("doctor asks sudo -l for each command line as the runner runs it, and reads the daemon's own privileges", async () => {
    const doctor = await lifeguard(["doctor"]);
    assert.match(doctor.stdout, /^ok {4}rights user lifeguard may start, stop and kill lg-bot\.service \("bot"\): sudo allows each command line Lifeguard runs \(privilege: sudo\)$/m, doctor.stdout);
    assert.match(doctor.stdout, /^ok {4}rights user lifeguard may start, stop and kill lg-web@a:b\\x2dc\.service \("web"\): sudo allows each command line Lifeguard runs \(privilege: sudo\)$/m);
    assert.match(doctor.stdout, /^ok {4}rights lifeguard\.service \(pid \d+\) may gain root through sudo: no no_new_privs flag, CAP_SETUID and CAP_SETGID in its bounding set$/m);
    // With a unit it does not name, doctor prints the one drop-in that would allow it, checked before it is put in place.
    const wider = join(sandbox.workdir, "cli.yaml");
    const refused = await lifeguard(["doctor", "--user", "lifeguard"], wider);
    assert.match(refused.stdout, /^FAIL {2}rights user lifeguard may not start lg-other\.service \("other"\): sudo does not allow `sudo -n systemctl start --no-ask-password -- lg-other\.service` \(privilege: sudo\)$/m, refused.stdout);
    assert.match(refused.stdout, /^ {6}fix: printf .* \| tee \/etc\/sudoers\.d\/lifeguard\.new >\/dev\/null && chmod 0440 \/etc\/sudoers\.d\/lifeguard\.new && visudo -c -f \/etc\/sudoers\.d\/lifeguard\.new && mv \/etc\/sudoers\.d\/lifeguard\.new \/etc\/sudoers\.d\/lifeguard$/m);
  });

  test("uninstall refuses a drop-in changed since install wrote it; with --force and --purge it removes it and /etc is as before", async () => {
    assert.ok((await sandbox.exec(["sh", "-c", `echo '# mine' >> ${SUDOERS}`])).ok);
    const refused = await lifeguard(["uninstall", "--purge"]);
    assert.equal(refused.exitCode, 73, refused.stdout);
    assert.match(refused.stdout, /^\/etc\/sudoers\.d\/lifeguard was changed since `lifeguard install [^`]+` wrote it: not removed without --force$/m);
    const removed = await lifeguard(["uninstall", "--purge", "--force"]);
    assert.equal(removed.exitCode, 0, `${removed.stdout}\n${removed.stderr}`);
    assert.match(removed.stdout, /^removed \/etc\/sudoers\.d\/lifeguard$/m);
    assert.equal((await sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "the user is gone");
    assert.deepEqual(lines((await sandbox.exec([...SNAPSHOT, sandbox.workdir])).stdout), lines(treeBefore), removed.stdout);
  });

  test("install --timer: the check unit, as user lifeguard, restarts the frozen bot through sudo too; uninstall --purge takes it all away", async () => {
    const installed = await lifeguard(["install", "--timer"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.deepEqual(await show("lifeguard-check.service", ["User", "NoNewPrivileges", "CapabilityBoundingSet"]), { User: "lifeguard", NoNewPrivileges: "no", CapabilityBoundingSet: "cap_setgid cap_setuid cap_audit_write" });
    const mainPid = Number((await show(UNIT, ["MainPID"])).MainPID);
    await signalInside(sandbox, mainPid, "STOP");
    // The log goes stale past max-age and the startup grace: the next round (started now, not at the minute) restarts.
    assert.ok(await waitFor(async () => {
      await sandbox.exec(["systemctl", "start", "lifeguard-check.service"], { timeoutMs: 120_000 });
      const shown = await show(UNIT, ["MainPID", "ActiveState"]);
      return shown.ActiveState === "active" && shown.MainPID !== String(mainPid);
    }, { timeoutMs: 60_000, intervalMs: 1000 }), "not restarted by the check unit");
    assert.equal((await lastRestart())?.ok, true);
    // A check the timer started is still running, and another process of the user outlives it:
    // uninstall stops the one and waits for the other before it removes the user.
    await sandbox.exec(["systemctl", "start", "--no-block", "lifeguard-check.service"]);
    await sandbox.exec(["systemd-run", "--uid=lifeguard", "--collect", "--unit=lg-late", "sleep", "3"]);
    const removed = await lifeguard(["uninstall", "--purge"]);
    assert.equal(removed.exitCode, 0, `${removed.stdout}\n${removed.stderr}`);
    assert.deepEqual(lines((await sandbox.exec([...SNAPSHOT, sandbox.workdir])).stdout), lines(treeBefore), removed.stdout);
  });
});
