// A log Lifeguard may not read says nothing about the bot: an unprivileged Lifeguard must not
// restart a healthy bot because its log is mode 0600, but say so once, with the fix.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

/** The fix the alert must name: the real user Lifeguard runs as, the log's real owner, group and mode. */
const fixFor = (log: string): string => `Let user "nobody" read the log file "${log}": run "setfacl -m u:nobody:r ${log}", ` +
  `or "chmod g+r ${log}" and "usermod -aG daemon nobody" (then restart Lifeguard); it is owned by "daemon:daemon" with mode 0600`;

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
    ({ config, alerts } = lifeguardHome("check"));
    assert.ok(await waitFor(() => readFileSync(log, "utf8").includes("Update"), { timeoutMs: 10_000 }));
  });
  after(async () => {
    await sandbox?.stop();
  });

  /** Lifeguard's own files, owned by nobody (so are the alert program's records), for one mode of running it. */
  function lifeguardHome(name: string, extra: Record<string, unknown> = {}): { config: string; alerts: string; home: string } {
    const home = join(sandbox.workdir, `lifeguard-${name}`);
    const records = join(home, "alerts");
    mkdirSync(records, { recursive: true });
    chownSync(home, NOBODY, NOBODY);
    chownSync(records, NOBODY, NOBODY);
    const file = join(home, "lifeguard.yaml");
    writeFileSync(file, stringify({
      state: join(home, "state"),
      ...extra,
      services: {
        bot: {
          systemd: "private-bot.service",
          interval: "1s",
          checks: ["running", { "log-fresh": { path: log, "max-age": "1m" } }, { "log-activity": { path: log, lines: 20, match: "Update" } }],
          "failure-threshold": 1,
          restart: { "stop-timeout": "2s", "kill-wait": "1s", "verify-timeout": "5s" },
        },
      },
      alerts: { pager: { type: "exec", command: [PYTHON, ALERT_PROGRAM, records], timeout: "10s" } },
    }));
    return { config: file, alerts: records, home };
  }
  const asNobody = (args: string[]) =>
    sandbox.exec(["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, BIN, ...args], { timeoutMs: 120_000, cwd: REPO });
  const mainPid = async (): Promise<number> => Number((await sandbox.exec(["systemctl", "show", "--property=MainPID", "--value", "private-bot.service"])).stdout.trim());
  const received = (records = alerts): string[] => readdirSync(records).filter((name) => name.startsWith("run-") && name.endsWith(".json")).sort().map((name) => readFileSync(join(records, name), "utf8"));
  const history = async (file = config): Promise<HistoryJson> => {
    const result = await asNobody(["history", "--json", "-c", file]);
    assert.equal(result.exitCode, 0, result.stderr);
    return JSON.parse(result.stdout) as HistoryJson;
  };

  test("check as nobody restarts nothing, alerts once with the fix, exits 2, and tells when it can read again", async () => {
    const pid = await mainPid();
    const fix = fixFor(log);

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

  test("the daemon as nobody restarts nothing round after round, and alerts once with the fix", async () => {
    chmodSync(log, 0o600);
    const pid = await mainPid();
    const daemon = lifeguardHome("daemon", { log: { file: "WATCHDOG_LOG" } });
    const watchdogLog = join(daemon.home, "watchdog.log");
    writeFileSync(daemon.config, readFileSync(daemon.config, "utf8").replace("WATCHDOG_LOG", watchdogLog));
    const argv = [...sandbox.nsenterArgs, "setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath, BIN, "run", "-c", daemon.config];
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, { cwd: REPO, stdio: "ignore", detached: true });
    // Whatever happens: the daemon's group goes; the sandbox's stop ends what it left inside.
    const stop = (): void => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), "SIGKILL");
    };
    try {
      const unobserved = (): string[] => received(daemon.alerts).filter((text) => (JSON.parse(text) as { env: Record<string, string> }).env.LIFEGUARD_ALERT_KIND === "unobserved");
      const daemonLog = (): string => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "no log yet");
      assert.ok(await waitFor(() => unobserved().length >= 1, { timeoutMs: 60_000 }), daemonLog());
      // Steady rounds log nothing: let the bot write 25 more lines (5s at its pace, 5 rounds of 1s) before looking again.
      const lines = (): number => readFileSync(log, "utf8").split("\n").length;
      const seen = lines();
      assert.ok(await waitFor(() => lines() >= seen + 25, { timeoutMs: 60_000 }));
      assert.equal(unobserved().length, 1, "announced once");
      assert.ok(unobserved()[0]?.includes(JSON.stringify(fixFor(log)).slice(1, -1)), unobserved()[0]);
      assert.equal(await mainPid(), pid, "the healthy bot was not restarted");
      const entries = (await history(daemon.config)).entries;
      assert.deepEqual(entries.filter((entry) => entry.type === "restart"), []);
      assert.deepEqual(entries.flatMap((entry) => (entry.event === undefined ? [] : [entry.event.kind])), ["unobserved"]);
    } finally {
      stop();
    }
  });
});
