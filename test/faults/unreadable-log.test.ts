// A log Lifeguard may not read says nothing about the bot: an unprivileged Lifeguard must not
// restart a healthy bot because its log is mode 0600, but say so once, with the fix.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { logBotArgv, PYTHON, readBotPids } from "../../src/testing/bots.js";
import { ALERT_PROGRAM } from "../../src/testing/exec-receiver.js";
import { botUnit } from "../../src/testing/systemd-lab.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../../src/testing/systemd-sandbox.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { BIN, REPO } from "../support/lab.js";

const NOBODY = 65534;
const DAEMON = 1;
const support = sandboxSupport();
// Running Lifeguard as another user, and a bot as a third, needs root; CI is root.
const skip = process.getuid?.() !== 0 ? "needs root: Lifeguard runs as nobody and the bot as daemon" : support.ok ? false : support.reason;

interface HistoryJson {
  entries: Array<{ type: string; event?: { kind: string; message: string; data: Record<string, unknown> } }>;
}

describe("a log Lifeguard cannot read", { skip }, () => {
  let sandbox: Sandbox;
  let dir = "";
  let log = "";
  let pidFile = "";
  let alerts = "";
  let config = "";

  before(async () => {
    sandbox = await startSandbox();
    // An unprivileged systemctl talks to systemd over the system bus: `show` is allowed, `stop` and `start` are not.
    const bus = await sandbox.exec(["systemctl", "start", "dbus.socket"]);
    assert.ok(bus.ok, bus.stderr);
    // The bot runs as "daemon" and writes its log 0600: only daemon (and root) may read it.
    dir = join(sandbox.workdir, "bot");
    mkdirSync(dir, { mode: 0o755 });
    chownSync(dir, DAEMON, DAEMON);
    log = join(dir, "bot.log");
    pidFile = join(dir, "bot.pid");
    const script = join(sandbox.workdir, "log-bot.py");
    writeFileSync(script, readFileSync(logBotArgv(log)[1] ?? ""), { mode: 0o755 });
    await sandbox.writeUnit("private-bot.service", botUnit(logBotArgv(log, { everyMs: 200, script }), pidFile, "User=daemon\nGroup=daemon\nUMask=0077\nRestart=no"));
    await sandbox.daemonReload();
    const started = await sandbox.exec(["systemctl", "start", "private-bot.service"]);
    assert.ok(started.ok, started.stderr);
    await readBotPids(pidFile);
    // Lifeguard's own files belong to nobody, and so do the alert program's records.
    const home = join(sandbox.workdir, "lifeguard");
    alerts = join(home, "alerts");
    mkdirSync(alerts, { recursive: true });
    chownSync(home, NOBODY, NOBODY);
    chownSync(alerts, NOBODY, NOBODY);
    config = join(home, "lifeguard.yaml");
    writeFileSync(config, stringify({
      state: join(home, "state"),
      services: {
        bot: {
          systemd: "private-bot.service",
          checks: ["running", { "log-fresh": { path: log, "max-age": "1m" } }, { "log-activity": { path: log, lines: 20, match: "Update" } }],
          "failure-threshold": 1,
          restart: { "stop-timeout": "2s", "kill-wait": "1s", "verify-timeout": "5s" },
        },
      },
      alerts: { pager: { type: "exec", command: [PYTHON, ALERT_PROGRAM, alerts], timeout: "10s" } },
    }));
    assert.ok(await waitFor(() => readFileSync(log, "utf8").includes("Update"), { timeoutMs: 10_000 }));
  });
  after(async () => {
    await sandbox?.stop();
  });

  const asNobody = (args: string[]) =>
    sandbox.exec(["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, BIN, ...args], { timeoutMs: 120_000, cwd: REPO });
  const mainPid = async (): Promise<number> => Number((await sandbox.exec(["systemctl", "show", "--property=MainPID", "--value", "private-bot.service"])).stdout.trim());
  const received = (): string[] => readdirSync(alerts).filter((name) => name.startsWith("run-")).sort().map((name) => readFileSync(join(alerts, name), "utf8"));
  const history = async (): Promise<HistoryJson> => {
    const result = await asNobody(["history", "--json", "-c", config]);
    assert.equal(result.exitCode, 0, result.stderr);
    return JSON.parse(result.stdout) as HistoryJson;
  };

  test("check as nobody restarts nothing, alerts once with the fix, exits 2, and tells when it can read again", async () => {
    const pid = await mainPid();
    const fix = `Let user "nobody" read the log file "${log}": run "setfacl -m u:nobody:r ${log}", ` +
      `or "chmod g+r ${log}" and "usermod -aG daemon nobody" (then restart Lifeguard); it is owned by "daemon:daemon" with mode 0600`;

    const first = await asNobody(["check", "-c", config]);
    // 2: something is not right and Lifeguard did not fix it; a human must.
    assert.equal(first.exitCode, 2, first.stdout + first.stderr);
    assert.match(first.stdout, /\[OK\] Log file is fresh/, "log-fresh needs only the metadata, which nobody may read");
    assert.match(first.stdout, new RegExp(`\\[WARN\\] Cannot read log file "${log}" as permission was denied`));
    const second = await asNobody(["check", "-c", config]);
    assert.equal(second.exitCode, 2, second.stdout + second.stderr);

    assert.equal(await mainPid(), pid, "the healthy bot was not restarted");
    const entries = (await history()).entries;
    assert.deepEqual(entries.filter((entry) => entry.type === "restart"), [], "no restart was even attempted");
    const kinds = entries.flatMap((entry) => (entry.event === undefined ? [] : [entry.event.kind]));
    assert.deepEqual(kinds, ["unobserved"], "announced once over two runs");
    const sent = received();
    assert.equal(sent.length, 1, "one alert");
    assert.ok(sent[0]?.includes(JSON.stringify(fix).slice(1, -1)), `the alert names the fix: ${sent[0]}`);
    assert.ok(sent[0]?.includes('Cannot observe \\"bot\\" through check \\"log-activity\\"'), sent[0]);

    // The service's state says it is not observed, and why.
    const status = await asNobody(["status", "-c", config]);
    assert.match(status.stdout, /\nbot\s+private-bot\.service\s+healthy; unobserved: log-activity since \d+\w* ago\s/, status.stdout);
    const json = JSON.parse((await asNobody(["status", "--json", "-c", config])).stdout) as { services: Array<{ unobserved?: Record<string, { reason: string; hint?: string }> }> };
    assert.deepEqual(json.services[0]?.unobserved?.["log-activity"]?.hint, fix);
    assert.equal(json.services[0]?.unobserved?.["log-activity"]?.reason, `Cannot read log file "${log}" as permission was denied`);

    // The fix applied (its chmod half, as root would): Lifeguard observes again, and says so.
    chmodSync(log, 0o644);
    const fixed = await asNobody(["check", "-c", config]);
    assert.equal(fixed.exitCode, 0, fixed.stdout + fixed.stderr);
    const after = received();
    assert.equal(after.length, 2);
    assert.ok(after[1]?.includes('Observing \\"bot\\" through check \\"log-activity\\" again'), after[1]);
    assert.equal(await mainPid(), pid);
    assert.doesNotMatch((await asNobody(["status", "-c", config])).stdout, /unobserved/);
  });
});
