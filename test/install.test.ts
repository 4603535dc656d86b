// `lifeguard install` and `uninstall` against a real systemd in a namespace sandbox with a /etc of
// its own (an overlay: the user, the polkit rule and logrotate's file never reach the host): a
// Python bot installed from `install-unit:` with MemoryMax= and CPUQuota= (read back with
// systemctl show), Lifeguard as a hardened daemon under the `lifeguard` system user it creates,
// allowed by a polkit rule (Debian's polkitd, started over the sandbox's D-Bus) to restart exactly
// that bot: it restarts it when it freezes. Then: install again changes nothing; a file edited by
// hand is not overwritten without --force (the diff shown); uninstall --purge leaves /etc and the
// lab as they were; and the same with a timer instead of the daemon.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, chownSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { stringify } from "yaml";
import { LOG_BOT, logBotArgv, readBotPids } from "../src/testing/bots.js";
import { LAB_ROOT, sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, signalInside } from "./support/lab.js";

const support = sandboxSupport();
const NOBODY = 65534;
const UNIT = "lg-bot.service";
/** The bot's files, and what install writes there: compared before and after. */
const SNAPSHOT = ["sh", "-c", "cd / && find etc -xdev \\( -name '*-' -o -name '.pwd.lock' -o -path 'etc/systemd/system/*' \\) -prune -o -print | sort && find \"$0\" -type d -exec getfacl -p {} + 2>/dev/null"];

describe("lifeguard install under real systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  const overlay = join(LAB_ROOT, `etc-${process.pid}-${randomBytes(4).toString("hex")}`);
  let dir: string;
  let config: string;
  let treeBefore: string;
  const lifeguard = (args: string[]) => sandbox.exec([process.execPath, BIN, ...args, "-c", config], { timeoutMs: 240_000, cwd: "/" });
  const show = async (unit: string, properties: string[]): Promise<Record<string, string>> => {
    const shown = await sandbox.exec(["systemctl", "show", ...properties.map((property) => `--property=${property}`), unit]);
    return Object.fromEntries(shown.stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
  };

  before(async () => {
    sandbox = await startSandbox({ etcOverlay: overlay });
    // Lifeguard's user reaches systemd over the system bus, which starts polkitd on demand.
    assert.ok((await sandbox.exec(["systemctl", "start", "dbus.socket"])).ok);
    dir = join(sandbox.workdir, "bot");
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chownSync(dir, NOBODY, NOBODY);
    const script = join(sandbox.workdir, "log-bot.py");
    copyFileSync(LOG_BOT, script);
    chmodSync(script, 0o755);
    // The bot's log is readable by its owner only: install must grant Lifeguard's user read access.
    const log = join(dir, "bot.log");
    config = join(sandbox.workdir, "lifeguard.yaml");
    writeFileSync(config, stringify({
      state: join(sandbox.workdir, "state"),
      log: { file: join(sandbox.workdir, "log", "lifeguard.log") },
      services: {
        bot: {
          systemd: UNIT,
          "install-unit": { "exec-start": ["/bin/sh", "-c", `umask 077 && exec "$@"`, "sh", ...logBotArgv(log, { everyMs: 200, script, pidFile: join(dir, "bot.pid") })], user: "nobody", "memory-max": "256MiB", "cpu-quota": "50%" },
          interval: "1s",
          checks: [{ "log-fresh": { path: log, "max-age": "2s" } }],
          "failure-threshold": 1,
          "startup-grace": "3s",
          restart: { "stop-timeout": "2s", "verify-timeout": "10s", backoff: { initial: "1s" } },
        },
      },
    }));
    treeBefore = (await sandbox.exec([...SNAPSHOT, sandbox.workdir])).stdout;
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(overlay, { recursive: true, force: true });
  });

  test("install writes the bot's unit with its limits and a hardened daemon as user lifeguard, starts both and verifies the first round", async () => {
    const installed = await lifeguard(["install"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /user lifeguard: created/);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    assert.deepEqual(await show(UNIT, ["MemoryMax", "CPUQuotaPerSecUSec", "User", "Restart", "UnitFileState", "ActiveState"]), {
      MemoryMax: String(256 * 1024 * 1024), CPUQuotaPerSecUSec: "500ms", User: "nobody", Restart: "on-failure", UnitFileState: "enabled", ActiveState: "active",
    });
    const daemon = await show("lifeguard.service", ["User", "Type", "WatchdogUSec", "NoNewPrivileges", "ProtectSystem", "UnitFileState", "ActiveState"]);
    assert.deepEqual(daemon, { User: "lifeguard", Type: "notify", WatchdogUSec: "30s", NoNewPrivileges: "yes", ProtectSystem: "strict", UnitFileState: "enabled", ActiveState: "active" });
  });

  test("the installed Lifeguard, as user lifeguard, restarts the frozen bot (polkit lets it)", async () => {
    const { pid } = await readBotPids(join(dir, "bot.pid"));
    const mainPid = Number((await show(UNIT, ["MainPID"])).MainPID);
    assert.ok(mainPid > 0);
    await signalInside(sandbox, mainPid, "STOP");
    assert.ok(await waitFor(async () => {
      const shown = await show(UNIT, ["MainPID", "ActiveState"]);
      return shown.ActiveState === "active" && shown.MainPID !== String(mainPid) && shown.MainPID !== "0";
    }, { timeoutMs: 60_000, intervalMs: 250 }), `not restarted (bot pid ${pid})`);
    const history = await lifeguard(["history", "--json"]);
    const { entries } = JSON.parse(history.stdout) as { entries: Array<{ type: string; restart?: { ok: boolean; reason: string; steps: Array<{ step: string; ok: boolean }> } }> };
    const restart = entries.find((entry) => entry.type === "restart")?.restart;
    assert.match(restart?.reason ?? "", /^Log file is stale/, history.stdout);
    assert.equal(restart?.ok, true);
    // Every step went through systemd on polkit's word: stop, kill (the frozen bot's cgroup), start.
    assert.deepEqual(restart?.steps.map((step) => `${step.step} ${step.ok}`).slice(0, 3), ["stop true", "kill true", "start true"]);
  });

  test("install again changes nothing; a file edited by hand is kept, with the diff, until --force", async () => {
    const again = await lifeguard(["install"]);
    assert.equal(again.exitCode, 0, again.stdout);
    assert.match(again.stdout, /lifeguard\.service: unchanged/);
    assert.doesNotMatch(again.stdout, /: (written|updated|replaced)/);

    const unitFile = "/etc/systemd/system/lifeguard.service";
    assert.ok((await sandbox.exec(["sh", "-c", `echo '# mine' >> ${unitFile}`])).ok);
    const refused = await lifeguard(["install"]);
    assert.equal(refused.exitCode, 73, refused.stdout);
    assert.match(refused.stdout, /lifeguard\.service was changed by hand: not overwritten without --force/);
    assert.match(refused.stdout, /^-# mine$/m, "the diff shows the line that would go");
    const forced = await lifeguard(["install", "--force"]);
    assert.equal(forced.exitCode, 0, forced.stdout);
    assert.match(forced.stdout, /lifeguard\.service: replaced/);
    assert.match(forced.stdout, /lifeguard\.service: enabled already; started; restarted with its new unit file/);
  });

  test("uninstall refuses a file changed since install wrote it (nothing changed); with --force and --purge it removes exactly what install did: /etc and the lab's files and ACLs are as before", async () => {
    assert.ok((await sandbox.exec(["sh", "-c", "echo '# mine' >> /etc/logrotate.d/lifeguard"])).ok);
    const refused = await lifeguard(["uninstall", "--purge"]);
    assert.equal(refused.exitCode, 73, refused.stdout);
    assert.match(refused.stdout, /\/etc\/logrotate\.d\/lifeguard was changed since `lifeguard install [^`]+` wrote it: not removed without --force\nNothing was changed\./);
    assert.equal((await show("lifeguard.service", ["ActiveState"])).ActiveState, "active", "nothing was stopped");
    const removed = await lifeguard(["uninstall", "--purge", "--force"]);
    assert.equal(removed.exitCode, 0, `${removed.stdout}\n${removed.stderr}`);
    for (const unit of [UNIT, "lifeguard.service"]) assert.equal((await show(unit, ["LoadState"])).LoadState, "not-found", unit);
    assert.equal((await sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "the user is gone");
    const after = (await sandbox.exec([...SNAPSHOT, sandbox.workdir])).stdout;
    assert.deepEqual(after.split("\n").filter((line) => !line.includes("bot.log") && !line.includes("bot.pid")), treeBefore.split("\n").filter((line) => !line.includes("bot.log") && !line.includes("bot.pid")), removed.stdout);
  });

  test("install --timer: a oneshot check every minute from a timer, its first round run and verified; uninstall --purge takes it away", async () => {
    const installed = await lifeguard(["install", "--timer"]);
    assert.equal(installed.exitCode, 0, `${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /lifeguard-check\.timer: enabled \(starts at boot\) and started/);
    assert.match(installed.stdout, /Installed: every unit is active and Lifeguard's first round saw every service healthy/);
    assert.deepEqual(await show("lifeguard-check.timer", ["ActiveState", "UnitFileState"]), { ActiveState: "active", UnitFileState: "enabled" });
    assert.equal((await show("lifeguard-check.service", ["User"])).User, "lifeguard");
    const removed = await lifeguard(["uninstall", "--purge"]);
    assert.equal(removed.exitCode, 0, removed.stdout);
    assert.equal((await show("lifeguard-check.timer", ["LoadState"])).LoadState, "not-found");
  });

  test("a unit that neither exists nor has install-unit: is refused before anything changes", async () => {
    const ghost = join(sandbox.workdir, "ghost.yaml");
    writeFileSync(ghost, stringify({ state: join(sandbox.workdir, "ghost-state"), services: { ghost: { systemd: "ghost.service" } } }));
    const refused = await sandbox.exec([process.execPath, BIN, "install", "-c", ghost], { timeoutMs: 60_000, cwd: "/" });
    assert.equal(refused.exitCode, 78, refused.stdout);
    assert.match(refused.stdout, /ghost\.service does not exist, and the config has no `install-unit:` for it/);
    assert.equal((await sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2, "no user was created");
  });

  test("a user that cannot be created: the install stops at once, nothing changed", async () => {
    const refused = await lifeguard(["install", "--user", "no:such"]);
    assert.equal(refused.exitCode, 1, refused.stdout);
    assert.match(refused.stdout, /lifeguard install failed: useradd .* failed: .*\nNothing had been changed\./);
  });

  test("a step that fails half-way (a read-only unit directory) rolls back what was done: the user, the directories and the ACL entries go", async () => {
    assert.ok((await sandbox.exec(["mount", "-o", "remount,ro", "/etc/systemd/system"])).ok);
    try {
      const failed = await lifeguard(["install"]);
      assert.equal(failed.exitCode, 1, failed.stdout);
      assert.match(failed.stdout, /^lifeguard install failed: cannot write \/etc\/systemd\/system\/lg-bot\.service: the file system is read-only$/m);
      assert.match(failed.stdout, /Rolling back what was done:\n {2}undone: ACL -d u:lifeguard:r on \S+\/bot\n {2}undone: created \S+\/log\n {2}undone: created \S+\/state\n {2}undone: created user lifeguard/);
    } finally {
      assert.ok((await sandbox.exec(["mount", "-o", "remount,rw", "/etc/systemd/system"])).ok);
    }
    assert.equal((await sandbox.exec(["getent", "passwd", "lifeguard"])).exitCode, 2);
    const after = (await sandbox.exec([...SNAPSHOT, sandbox.workdir])).stdout;
    const lines = (tree: string) => tree.split("\n").filter((line) => !/bot\.(log|pid)|ghost/.test(line));
    assert.deepEqual(lines(after), lines(treeBefore));
  });
});
