// `lifeguard run` as its own systemd unit (Type=notify, WatchdogSec=) in the real-systemd sandbox:
// it watches a bot, restarts it when it freezes, reloads on SIGHUP, stops cleanly, and is itself
// restarted by systemd when it hangs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, installBot, lifeguard, signalInside, writeConfig, type LabBot } from "./support/lab.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

describe("lifeguard run under systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let bot: LabBot;
  let config: string;
  let watchdogLog: string;
  const show = async (unit: string, property: string): Promise<string> =>
    (await sandbox.exec(["systemctl", "show", `--property=${property}`, "--value", unit])).stdout.trim();
  const logText = () => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "");
  const service = (maxAge: string) => ({
    interval: "1s",
    checks: [{ "log-fresh": { path: bot.log, "max-age": maxAge } }],
    "failure-threshold": 1,
    "startup-grace": "2s",
    restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "10s" },
  });

  before(async () => {
    sandbox = await startSandbox();
    bot = await installBot(sandbox, "watched");
    watchdogLog = join(bot.dir, "watchdog.log");
    config = writeConfig(bot, service("2s"), { log: { file: watchdogLog } });
    await sandbox.writeUnit("lifeguard.service", `[Unit]
Description=Lifeguard
[Service]
Type=notify
NotifyAccess=main
ExecStart=${process.execPath} ${BIN} run -c ${config}
WatchdogSec=3s
Restart=on-failure
TimeoutStopSec=30s
`);
    await sandbox.daemonReload();
    const started = await sandbox.exec(["systemctl", "start", "lifeguard.service"]);
    assert.ok(started.ok, started.stderr);
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("is active once it said READY=1 and reports its services in STATUS=", async () => {
    assert.equal(await show("lifeguard.service", "ActiveState"), "active");
    assert.ok(await waitFor(async () => (await show("lifeguard.service", "StatusText")) === "1 service: bot healthy", WAIT));
    assert.match(logText(), /Lifeguard started: watching "bot"/);
  });

  test("serves /healthz, /api/status and /metrics on loopback, and refuses pings and the history without the token", async () => {
    const get = async (path: string) => {
      const script = `const r = await fetch("http://127.0.0.1:9473${path}"); console.log(JSON.stringify({ status: r.status, body: await r.text() }));`;
      const result = await sandbox.exec([process.execPath, "--input-type=module", "-e", script]);
      assert.ok(result.ok, result.stderr);
      return JSON.parse(result.stdout) as { status: number; body: string };
    };
    assert.equal((await get("/healthz")).status, 200);
    // No token is set: the status names the services and their health, nothing they wrote.
    const status = JSON.parse((await get("/api/status")).body) as { services: Array<{ service: string; health: { kind: string } }> };
    assert.deepEqual(status.services.map((s) => [s.service, s.health.kind]), [["bot", "healthy"]]);
    assert.equal((await get("/api/history")).status, 403);
    assert.match((await get("/metrics")).body, /^lifeguard_service_up\{service="bot"\} 1$/m);
    assert.equal((await get("/ping/bot")).status, 403);
  });

  test("restarts a frozen bot within seconds of its log going stale", async () => {
    const frozen = Number(await show(bot.unit, "MainPID"));
    await signalInside(sandbox, frozen, "STOP");
    assert.ok(await waitFor(() => /\[RESTART\] "bot" restarted \(reason: log-fresh\)/.test(logText()), WAIT), logText());
    assert.notEqual(Number(await show(bot.unit, "MainPID")), frozen);
  });

  test("reloads a valid config on SIGHUP and keeps running on an invalid one", async () => {
    const pid = await show("lifeguard.service", "MainPID");
    writeFileSync(config, readFileSync(config, "utf8").replace("max-age: 2s", "max-age: 3s"));
    assert.ok((await sandbox.exec(["systemctl", "kill", "--kill-whom=main", "--signal=SIGHUP", "lifeguard.service"])).ok);
    assert.ok(await waitFor(() => /Reloaded the configuration/.test(logText()), WAIT), logText());

    const good = readFileSync(config, "utf8");
    writeFileSync(config, good.replace("max-age: 3s", "max_age: 3s"));
    assert.ok((await sandbox.exec(["systemctl", "kill", "--kill-whom=main", "--signal=SIGHUP", "lifeguard.service"])).ok);
    assert.ok(await waitFor(() => /\[ERROR\] Cannot reload the configuration; the running one stays in force: .*unknown key "max_age"; did you mean "max-age"\?/.test(logText()), WAIT), logText());
    writeFileSync(config, good);
    assert.equal(await show("lifeguard.service", "ActiveState"), "active");
    assert.equal(await show("lifeguard.service", "MainPID"), pid);
  });

  test("is restarted by systemd when it hangs (SIGSTOP), as WatchdogSec= says", async () => {
    const hung = Number(await show("lifeguard.service", "MainPID"));
    await signalInside(sandbox, hung, "STOP");
    assert.ok(await waitFor(async () => (await show("lifeguard.service", "NRestarts")) === "1", WAIT));
    assert.ok(await waitFor(async () => (await show("lifeguard.service", "ActiveState")) === "active", WAIT));
    assert.notEqual(Number(await show("lifeguard.service", "MainPID")), hung);
    assert.equal(sandbox.procStat(hung), null);
  });

  test("stops cleanly on SIGTERM with exit 0 and a consistent store", async () => {
    const stopped = await sandbox.exec(["systemctl", "stop", "lifeguard.service"]);
    assert.ok(stopped.ok, stopped.stderr);
    assert.equal(await show("lifeguard.service", "Result"), "success");
    assert.equal(await show("lifeguard.service", "ExecMainStatus"), "0");
    assert.match(logText(), /Lifeguard stopping on SIGTERM[\s\S]*Lifeguard stopped/);
    // The store reads back, and says truly that nothing watches the service any more (exit 1).
    const status = await lifeguard(sandbox, ["status", "--json", "-c", config]);
    assert.equal(status.exitCode, 1, status.stderr);
    const [service] = (JSON.parse(status.stdout) as { services: Array<{ watch: { kind: string; why: string } }> }).services;
    assert.equal(service?.watch.kind, "unwatched");
    assert.match(service?.watch.why ?? "", /^Lifeguard \(PID \d+\) stopped on SIGTERM$/);
  });
});
