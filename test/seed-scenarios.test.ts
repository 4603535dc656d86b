// The seed's three manual tests (freeze, stale log, rate limit), made automatic against real
// systemd in a namespace sandbox, plus the restart-safety cases the seed got wrong.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, statSync } from "node:fs";
import { join } from "node:path";
import { readBotPids } from "../src/testing/bots.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { installBot, lifeguard, signalInside, startDecoy, writeConfig, type LabBot } from "./support/lab.js";

const support = sandboxSupport();

interface HistoryJson {
  entries: Array<{ type: "restart"; restart: { ok: boolean; reason: string; steps: Array<{ step: string; ok: boolean; summary: string; timedOut: boolean }>; evidence: unknown } } | { type: "event"; event: { kind: string; message: string; data: Record<string, unknown> } }>;
}

describe("the seed's tests against real systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.stop();
  });

  const history = async (config: string): Promise<HistoryJson> => {
    const result = await lifeguard(sandbox, ["history", "--json", "-c", config]);
    assert.equal(result.exitCode, 0, result.stderr);
    return JSON.parse(result.stdout) as HistoryJson;
  };
  const restarts = (h: HistoryJson) => h.entries.flatMap((e) => (e.type === "restart" ? [e.restart] : []));
  const events = (h: HistoryJson, kind: string) => h.entries.flatMap((e) => (e.type === "event" && e.event.kind === kind ? [e.event] : []));
  const mainPid = async (bot: LabBot): Promise<number> => {
    const shown = await sandbox.exec(["systemctl", "show", "--property=MainPID", "--value", bot.unit]);
    return Number(shown.stdout.trim());
  };
  const logAgeMs = (bot: LabBot) => Date.now() - statSync(bot.log).mtimeMs;
  const freshConfig = (bot: LabBot, extra: Record<string, unknown> = {}) =>
    writeConfig(bot, {
      checks: [{ "log-fresh": { path: bot.log, "max-age": "2s" } }, { "log-activity": { path: bot.log, lines: 20, match: "VIX|Position|Update" } }],
      "failure-threshold": 1,
      "startup-grace": "5s",
      restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "10s" },
      ...extra,
    });

  test("freeze: a SIGSTOPped bot is detected by its stale log and restarted", async () => {
    const bot = await installBot(sandbox, "freeze");
    const config = freshConfig(bot);
    const healthy = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(healthy.exitCode, 0, healthy.stdout + healthy.stderr);
    assert.match(healthy.stdout, /\[OK\] All health checks passed/);
    // The cron-started check is the watcher: status shows its state as current, and exits 0.
    const watched = await lifeguard(sandbox, ["status", "-c", config]);
    assert.equal(watched.exitCode, 0, watched.stdout + watched.stderr);
    assert.match(watched.stdout, /^Watched by lifeguard check: its last run \d+m?s ago\n\nSERVICE .*\nbot\s+\S+\s+healthy\s/);

    const frozen = await mainPid(bot);
    await signalInside(sandbox, frozen, "STOP");
    assert.ok(await waitFor(() => logAgeMs(bot) > 2500, { timeoutMs: 10_000 }));
    const check = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(check.exitCode, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /\[FAIL\] Log file is stale: last written \d+s ago \(max-age 2s\)/);
    assert.match(check.stdout, /\[RESTART\] "bot" restarted \(reason: log-fresh\), 1 of 3 in the last 1h/);
    assert.notEqual(await mainPid(bot), frozen);
    assert.equal(sandbox.procStat(frozen), null);

    const [restart] = restarts(await history(config));
    assert.ok(restart !== undefined && restart.ok);
    assert.match(restart.reason, /Log file is stale/);
    assert.deepEqual(restart.steps.map((s) => s.step), ["forensics", "stop", "kill", "start", "verify"]);
    // Captured before the stop: the frozen process, as it was.
    assert.match(restart.steps[0]?.summary ?? "", /^main thread stopped/);
    const evidence = restart.evidence as Array<{ check: string; ok: boolean; evidence: { ageMs?: number; recent?: string[] } }>;
    assert.ok((evidence.find((o) => o.check === "log-fresh")?.evidence.ageMs ?? 0) > 2000);
    assert.match(evidence.find((o) => o.check === "log-activity")?.evidence.recent?.at(-1) ?? "", /VIX .* Position .* Update/);
  });

  test("stale log: the log of an unprivileged bot is made unwritable (chmod 000) and the bot is restarted", async () => {
    const bot = await installBot(sandbox, "stale", { user: "nobody", reopen: true });
    const config = freshConfig(bot, { restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "1s" } });
    assert.equal((await lifeguard(sandbox, ["check", "-c", config])).exitCode, 0);

    chmodSync(bot.log, 0o000);
    assert.ok(await waitFor(() => logAgeMs(bot) > 2500, { timeoutMs: 10_000 }));
    const check = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(check.exitCode, 1, check.stdout + check.stderr);
    const [restart] = restarts(await history(config));
    assert.ok(restart !== undefined);
    assert.match(restart.reason, /Log file is stale/);
  });

  test("rate limit: a bot stopped five times is restarted exactly three times, then Lifeguard gives up once", async () => {
    const bot = await installBot(sandbox, "limit");
    // The process `pkill -f` would have killed: same command line, outside the unit.
    const decoy = await startDecoy(sandbox, bot.argv, join(bot.dir, "decoy.pid"));
    try {
      const config = writeConfig(bot, { "failure-threshold": 1, "startup-grace": "0s", restart: { "verify-timeout": "10s", limit: { max: 3, per: "1h" }, backoff: { initial: "0s", max: "0s" } } });
      const codes: number[] = [];
      for (let round = 1; round <= 5; round += 1) {
        const stopped = await sandbox.exec(["systemctl", "stop", bot.unit]);
        assert.ok(stopped.ok, stopped.stderr);
        const check = await lifeguard(sandbox, ["check", "-c", config]);
        codes.push(check.exitCode ?? -1);
      }
      assert.deepEqual(codes, [1, 1, 1, 2, 2]);
      const h = await history(config);
      assert.equal(restarts(h).length, 3);
      const gaveUp = events(h, "gave-up");
      assert.equal(gaveUp.length, 1);
      assert.equal(gaveUp[0]?.message, 'Cannot restart "bot" as the restart limit is reached: 3 restarts in the last 1h (max 3)');
      assert.equal(gaveUp[0]?.data.manualIntervention, true);

      const status = await lifeguard(sandbox, ["status", "--json", "-c", config]);
      const services = (JSON.parse(status.stdout) as { services: Array<{ health: { kind: string }; restartsInWindow: number }> }).services;
      assert.equal(services[0]?.health.kind, "gave-up");
      assert.equal(services[0]?.restartsInWindow, 3);

      // `lifeguard reset` re-arms it: the next check restarts again.
      assert.equal((await lifeguard(sandbox, ["reset", "bot", "-c", config])).exitCode, 0);
      assert.equal((await lifeguard(sandbox, ["check", "-c", config])).exitCode, 1);
      assert.ok(sandbox.procStat(decoy.pid) !== null, "the decoy outside the unit survived every restart");
    } finally {
      await decoy.stop();
    }
  });

  test("a bot that ignores SIGTERM is force-killed with its child, then started again", async () => {
    const bot = await installBot(sandbox, "stubborn", { ignoreTerm: true, child: true, hangAfter: 3 });
    const before = await readBotPids(bot.pidFile);
    const config = freshConfig(bot, { restart: { "stop-timeout": "1s", "kill-wait": "3s", "verify-timeout": "10s" } });
    assert.ok(await waitFor(() => logAgeMs(bot) > 2500, { timeoutMs: 15_000 }));
    const check = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(check.exitCode, 1, check.stdout + check.stderr);
    const [restart] = restarts(await history(config));
    const stop = restart?.steps.find((s) => s.step === "stop");
    assert.equal(stop?.ok, false);
    assert.equal(stop?.timedOut, true);
    assert.equal(restart?.steps.find((s) => s.step === "kill")?.ok, true);
    assert.equal(sandbox.procStat(before.pid), null);
    assert.equal(sandbox.procStat(before.child as number), null);
    assert.notEqual(await mainPid(bot), before.pid);
  });

  test("two checks started at once on a broken service restart it once", async () => {
    const bot = await installBot(sandbox, "overlap");
    const config = freshConfig(bot);
    assert.ok((await sandbox.exec(["systemctl", "stop", bot.unit])).ok);
    const results = await Promise.all([lifeguard(sandbox, ["check", "-c", config]), lifeguard(sandbox, ["check", "-c", config])]);
    const codes = results.map((r) => r.exitCode).sort();
    assert.equal(restarts(await history(config)).length, 1, results.map((r) => r.stdout).join("\n---\n"));
    assert.deepEqual(codes, [0, 1], results.map((r) => r.stdout + r.stderr).join("\n---\n"));
  });

  test("a hanging systemctl is a failed observation, not a hung watchdog", async () => {
    const bot = await installBot(sandbox, "hang");
    const config = writeConfig(bot, { "systemctl-timeout": "1s", "failure-threshold": 2 });
    process.kill(sandbox.pid, "SIGSTOP");
    try {
      const check = await lifeguard(sandbox, ["check", "-c", config]);
      assert.equal(check.exitCode, 2, check.stdout + check.stderr);
      assert.match(check.stdout, /\[FAIL\] Cannot ask systemd about "hang.service" as systemctl did not answer within 1s/);
    } finally {
      process.kill(sandbox.pid, "SIGCONT");
    }
  });

  test("the library's runHealthCheck is true when healthy and false after a restart", async () => {
    const bot = await installBot(sandbox, "library");
    const config = freshConfig(bot);
    const script = `import { Watchdog } from ${JSON.stringify(join(import.meta.dirname, "../dist/index.js"))};
const watchdog = new Watchdog(${JSON.stringify(config)}, { logger: { write() {} } });
console.log(JSON.stringify(await watchdog.runHealthCheck()));`;
    const run = () => sandbox.exec([process.execPath, "--input-type=module", "-e", script], { timeoutMs: 60_000 });
    assert.equal((await run()).stdout.trim(), "true");
    assert.ok((await sandbox.exec(["systemctl", "stop", bot.unit])).ok);
    assert.equal((await run()).stdout.trim(), "false");
    assert.ok((await sandbox.exec(["systemctl", "is-active", bot.unit])).ok);
  });
});
