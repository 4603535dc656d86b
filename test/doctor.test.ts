// `lifeguard doctor` in a real systemd (a PID+mount+network namespace), with Lifeguard's user
// "nobody": one box broken in every way doctor looks at, each fix applied exactly as doctor
// printed it, and the healthy box that results, with a real daemon, exiting 0.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chownSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { PYTHON } from "../src/testing/bots.js";
import { ALERT_PROGRAM } from "../src/testing/exec-receiver.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, installBot, lifeguard, REPO, type LabBot } from "./support/lab.js";

const NOBODY = 65534;
const support = sandboxSupport();
const skip = support.ok ? false : support.reason;

interface DoctorJson {
  ok: boolean;
  user: { name: string; source: string } | null;
  findings: Array<{ level: string; topic: string; message: string; fix?: string }>;
}

describe("lifeguard doctor on a real systemd", { skip }, () => {
  let sandbox: Sandbox;
  let bot: LabBot;
  let home = "";
  let config = "";
  let state = "";
  let records = "";

  before(async () => {
    sandbox = await startSandbox();
    // systemctl and pkcheck as another user talk over the system bus; polkitd is started by it on demand.
    assert.ok((await sandbox.exec(["systemctl", "start", "dbus.socket"])).ok);
    // The sandbox's own polkit rules: a fix written there never reaches the host's /etc.
    assert.ok((await sandbox.exec(["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", "/etc/polkit-1/rules.d"])).ok);
    // The bot runs as root and writes its log 0600: nobody may not read it.
    bot = await installBot(sandbox, "trader", { unitExtra: "UMask=0077\n[Install]\nWantedBy=multi-user.target" });
    assert.ok((await sandbox.exec(["systemctl", "enable", bot.unit])).ok);
    home = join(sandbox.workdir, "lifeguard");
    state = join(home, "state");
    records = join(home, "alerts");
    mkdirSync(state, { recursive: true, mode: 0o755 });
    mkdirSync(records, { recursive: true });
    chownSync(records, NOBODY, NOBODY);
    config = join(home, "lifeguard.yaml");
    writeConfig({});
  });
  after(async () => {
    await sandbox?.stop();
  });

  function writeConfig(alerts: Record<string, unknown>): void {
    writeFileSync(config, stringify({
      state,
      services: {
        trader: { systemd: bot.unit, checks: [{ "log-fresh": { path: bot.log, "max-age": "5m" } }] },
        ghost: { systemd: "ghost.service" },
      },
      ...(Object.keys(alerts).length === 0 ? {} : { alerts }),
    }));
  }
  const doctor = (args: string[]) => lifeguard(sandbox, ["doctor", "-c", config, ...args]);
  const fixOf = (output: string, line: RegExp): string => {
    const lines = output.split("\n");
    const at = lines.findIndex((text) => line.test(text));
    assert.ok(at >= 0, `no line ${line} in:\n${output}`);
    const fix = /^ {6}fix: (.*)$/.exec(lines[at + 1] ?? "")?.[1];
    assert.ok(fix !== undefined, `no fix under ${line} in:\n${output}`);
    return fix;
  };
  /** Runs a fix exactly as printed, by a shell inside the sandbox, as root (who ran doctor); on a terminal (script(1)) for an editor. */
  const apply = async (fix: string, env: Record<string, string> = {}, tty = false) => {
    const result = await sandbox.exec(tty ? ["script", "-qec", fix, "/dev/null"] : ["sh", "-c", fix], { env: { ...process.env, ...env } });
    assert.equal(result.exitCode, 0, `${fix}\n${result.stdout}${result.stderr}`);
  };

  test("a broken box: each problem fails with its fix, exit 1", async () => {
    const result = await doctor(["--user", "nobody"]);
    assert.equal(result.exitCode, 1, result.stdout + result.stderr);
    const out = result.stdout;
    assert.match(out, new RegExp(`^ok    config ${config} is valid \\(2 services, 0 alert channels\\)$`, "m"));
    assert.match(out, /^ok {4}user Lifeguard runs as nobody \(--user\)$/m);
    assert.equal(fixOf(out, new RegExp(`^FAIL  log ${bot.log} of "trader" is not readable by user nobody$`)), `setfacl -m u:nobody:r ${bot.log}`);
    assert.equal(fixOf(out, /^FAIL {2}unit ghost\.service of "ghost" does not exist \(LoadState=not-found\): Lifeguard cannot start or restart it$/),
      "systemctl edit --force --full ghost.service && systemctl enable --now ghost.service");
    assert.match(out, /^ok {4}unit trader\.service of "trader" is loaded and enabled \(active\)$/m);
    // polkit's defaults ask a user without a session to authenticate: a daemon cannot.
    const rights = fixOf(out, /^FAIL {2}rights user nobody may not start trader\.service \("trader"\): polkit refuses it \(authentication required, which a daemon cannot give\)$/);
    assert.match(rights, /^printf '%s\\n' .* \| tee \/etc\/polkit-1\/rules\.d\/50-lifeguard\.rules >\/dev\/null$/);
    assert.match(fixOf(out, new RegExp(`^FAIL  state ${state} is not writable by user nobody: `)), new RegExp(`^chown -R nobody:\\w+ ${state}$`));
    assert.match(out, new RegExp(`^ok    state ${state} is on a local file system `, "m"));
    assert.match(fixOf(out, /^FAIL {2}watcher nothing runs Lifeguard: lifeguard\.service and lifeguard-check\.timer are not installed and \/etc\/cron\.d\/lifeguard does not exist$/),
      new RegExp(`^lifeguard install -c ${config}$`));
    assert.match(out, new RegExp(`^FAIL  alerts no alert channel is configured in ${config}: nobody hears when a service gives up$`, "m"));
    // The real timedatectl answers through the sandbox's systemd-timedated, from the kernel's clock state.
    assert.match(out, /^(ok|warn) {2}clock is (not )?synchronised by NTP \(timedatectl: NTPSynchronized=(yes|no)\)/m);
    assert.match(out, /^\d+ problems, \d+ warnings?: fix the FAIL lines, then run doctor again\.$/m);

    // Under sudo (typed in a user's shell), the same fix carries sudo, so that it works where it was typed.
    const viaSudo = await sandbox.exec([process.execPath, BIN, "doctor", "-c", config, "--user", "nobody"], { timeoutMs: 120_000, cwd: REPO, env: { ...process.env, SUDO_USER: "jakub" } });
    assert.equal(fixOf(viaSudo.stdout, new RegExp(`^FAIL  log ${bot.log} of "trader" is not readable by user nobody$`)), `sudo setfacl -m u:nobody:r ${bot.log}`);

    const json = JSON.parse((await doctor(["--user", "nobody", "--json"])).stdout) as DoctorJson;
    assert.equal(json.ok, false);
    assert.equal(json.user?.name, "nobody");
    assert.deepEqual(json.findings.filter((finding) => finding.level === "fail").map((finding) => finding.topic).sort(), ["alerts", "log", "rights", "state", "unit", "watcher"]);

    // Each fix as printed. The new unit's editor writes what a user would type.
    const editor = join(home, "editor.sh");
    writeFileSync(editor, "#!/bin/sh\nprintf '[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n' > \"$1\"\n", { mode: 0o755 });
    await apply(fixOf(out, /^FAIL {2}unit ghost\.service/), { SYSTEMD_EDITOR: editor }, true);
    await apply(fixOf(out, /^FAIL {2}log /));
    await apply(fixOf(out, /^FAIL {2}state /));
    const again = await doctor(["--user", "nobody"]);
    // ghost.service exists now: the rule doctor prints names it too, and replaces the one before.
    await apply(fixOf(again.stdout, /^FAIL {2}rights user nobody may not start trader\.service/));
    const fixed = await doctor(["--user", "nobody"]);
    assert.match(fixed.stdout, new RegExp(`^ok    log ${bot.log} of "trader" is readable by user nobody$`, "m"));
    assert.match(fixed.stdout, /^ok {4}unit ghost\.service of "ghost" is loaded and enabled \(active\)$/m);
    assert.match(fixed.stdout, /^ok {4}rights user nobody may start, stop and kill trader\.service \("trader"\): polkit grants it$/m);
    assert.match(fixed.stdout, /^ok {4}rights user nobody may start, stop and kill ghost\.service \("ghost"\): polkit grants it$/m);
    assert.match(fixed.stdout, new RegExp(`^ok    state ${state} is writable by user nobody$`, "m"));
    // The grant is real, and no wider than the runner needs: nobody's systemctl stops and starts the unit, and may not enable it.
    const asNobody = (verb: string) => sandbox.exec(["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "systemctl", "--no-ask-password", verb, "ghost.service"]);
    for (const verb of ["stop", "start"]) assert.equal((await asNobody(verb)).exitCode, 0, verb);
    assert.notEqual((await asNobody("disable")).exitCode, 0, "disable is no verb of the runner's");
  });

  test("a healthy box: a tested channel and the daemon as nobody, exit 0", async () => {
    writeConfig({ pager: { type: "exec", command: [PYTHON, ALERT_PROGRAM, records], timeout: "10s" } });
    const untested = await doctor(["--user", "nobody"]);
    const testAlert = fixOf(untested.stdout, /^warn {2}alerts "pager" \(exec\) has never been tested: no test-alert result is recorded$/);
    assert.equal(testAlert, `lifeguard test-alert pager -c ${config}`);
    // Run as Lifeguard's user would, so that the store stays its own.
    const tested = await sandbox.exec(["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, BIN, "test-alert", "pager", "-c", config], { cwd: REPO, timeoutMs: 60_000 });
    assert.equal(tested.exitCode, 0, tested.stdout + tested.stderr);

    await sandbox.writeUnit("lifeguard.service", [
      "[Service]", "Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "User=nobody", `WorkingDirectory=${REPO}`,
      `ExecStart=${process.execPath} ${BIN} run -c ${config}`, "[Install]", "WantedBy=multi-user.target", "",
    ].join("\n"));
    await sandbox.daemonReload();
    const started = await sandbox.exec(["systemctl", "enable", "--now", "lifeguard.service"], { timeoutMs: 60_000 });
    assert.equal(started.exitCode, 0, started.stderr);
    assert.ok(await waitFor(async () => (await sandbox.exec(["systemctl", "is-active", "lifeguard.service"])).stdout.trim() === "active", { timeoutMs: 30_000 }));

    const healthy = await doctor([]);
    assert.equal(healthy.exitCode, 0, healthy.stdout + healthy.stderr);
    const out = healthy.stdout;
    assert.match(out, /^ok {4}user Lifeguard runs as nobody \(User= of lifeguard\.service\)$/m);
    assert.match(out, /^ok {4}watcher lifeguard\.service is active and enabled$/m);
    assert.match(out, /^ok {4}watcher lifeguard\.service is Type=notify with WatchdogSec=30s \(NotifyAccess=main\)$/m);
    assert.match(out, /^ok {4}alerts "pager" \(exec\) delivered the last test alert \(\d+\w* ago\)$/m);
    assert.match(out, /^ok {4}rotation Lifeguard logs to standard output/m);
    assert.doesNotMatch(out, /^FAIL/m);
    assert.match(out, /^Nothing stops Lifeguard from protecting the services \(\d+ warnings?\)\.$/m);
  });
});
