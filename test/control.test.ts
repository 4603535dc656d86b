// Per-service control as users run it: the CLI asks the daemon through the store, HTTP asks it
// with the token; a stop and a pause survive a restart of Lifeguard; without a daemon a unit is
// acted on by the CLI itself (real systemd), and a command cannot be.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, sleeperCommand, startDaemon, statusUrl, type DaemonFiles } from "./support/daemon.js";
import { BIN, installBot, lifeguard, REPO, writeConfig } from "./support/lab.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };
const TOKEN = "control-test-token-0123456789";

function cli(files: DaemonFiles, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args, "-c", join(files.dir, "lifeguard.yaml")], { cwd: REPO, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function eventKinds(files: DaemonFiles): string[] {
  const { entries } = JSON.parse(cli(files, ["history", "--json"]).stdout) as { entries: Array<{ type: string; event?: { kind: string; data: { by?: string } } }> };
  return entries.flatMap((entry) => (entry.type === "event" && entry.event !== undefined ? [`${entry.event.kind} by ${entry.event.data.by ?? "-"}`] : []));
}

test("the CLI restarts, stops, starts, pauses and resumes a supervised bot through the daemon; a stop survives a restart of Lifeguard", async (t) => {
  const files = daemonFiles("lifeguard-control-");
  const { pidFile, bot } = botFiles(files);
  const config = daemonConfig(files, { services: { bot: { command: sleeperCommand(pidFile), interval: "1s", "startup-grace": "0s" } } });
  const first = startDaemon(t, files, config, [bot]);
  assert.ok(await waitFor(() => bot.current() !== null, WAIT), first.log());
  const before = bot.current();

  const restarted = cli(files, ["restart", "bot"]);
  assert.deepEqual([restarted.code, restarted.stdout], [0, 'Restarted "bot" at the request of root (cli)\n']);
  assert.ok(await waitFor(() => bot.current() !== null && bot.current() !== before, WAIT));

  const stopped = cli(files, ["stop", "bot"]);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.deepEqual(bot.survivors(), [], "the bot is gone");
  const status = cli(files, ["status"]);
  assert.equal(status.code, 1);
  assert.match(status.stdout, /\nbot\s+.*\s+stopped by root \(cli\) \d+m?s ago: `lifeguard start bot -c \S+\/lifeguard\.yaml` starts it\s/);

  // Lifeguard restarted: the stop holds, nothing is started.
  process.kill(first.pid, "SIGTERM");
  assert.equal(await first.exited, 0);
  const second = startDaemon(t, files, config, [bot]);
  assert.ok(await waitFor(() => /Left "bot" stopped, as root \(cli\) asked \d+m?s ago; "lifeguard start bot -c \S+\/lifeguard\.yaml" starts it/.test(second.log()), WAIT), second.log());
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a round or so: still nothing started
  assert.deepEqual(bot.survivors(), []);

  assert.equal(cli(files, ["start", "bot"]).code, 0);
  assert.ok(await waitFor(() => bot.current() !== null, WAIT));
  const paused = cli(files, ["pause", "bot", "--for", "2s", "--reason", "deploy"]);
  assert.deepEqual([paused.code, paused.stdout], [0, 'Paused "bot" for 2s at the request of root (cli) (deploy): its checks go on, nothing is restarted\n']);
  // The pause ends by itself, and says so (an alert-worthy event).
  assert.ok(await waitFor(() => /\[WARN\] The pause of "bot" by root \(cli\) \(deploy\) ended after 2s: it is judged and restarted again/.test(second.log()), WAIT), second.log());
  assert.equal(cli(files, ["resume", "bot"]).stdout, '"bot" is not paused\n');
  const reloaded = cli(files, ["reload"]);
  assert.equal(reloaded.code, 0, reloaded.stderr);
  assert.match(reloaded.stdout, /^Reloaded the configuration ".*lifeguard\.yaml" at the request of root \(cli\): 1 service\(s\)\n$/);
  assert.deepEqual(eventKinds(files), ["pause-ended by root (cli)", "paused by root (cli)", "started by root (cli)", "stopped by root (cli)", "restarted by root (cli)"]);
  process.kill(second.pid, "SIGTERM");
  assert.equal(await second.exited, 0);
});

test("over HTTP only the token's holder may act; bad input is refused and changes nothing", async (t) => {
  const files = daemonFiles("lifeguard-control-http-");
  const { pidFile, bot } = botFiles(files);
  const daemon = startDaemon(t, files, daemonConfig(files, { http: { listen: "127.0.0.1:0", token: TOKEN }, services: { bot: { command: sleeperCommand(pidFile), interval: "1s" } } }), [bot]);
  assert.ok(await waitFor(() => bot.current() !== null && statusUrl(daemon.log()) !== undefined, WAIT), daemon.log());
  const base = statusUrl(daemon.log()) as string;
  const running = bot.current();
  const post = (path: string, headers: Record<string, string> = {}, body?: string) => fetch(`${base}${path}`, { method: "POST", headers, ...(body === undefined ? {} : { body }) });
  assert.equal((await post("/api/services/bot/stop")).status, 401);
  assert.equal((await post("/api/services/bot/stop", { authorization: "Bearer not-the-token-at-all" })).status, 401);
  assert.equal((await post("/api/services/bot/pause", { authorization: `Bearer ${TOKEN}` }, '{"for": "later"}')).status, 400);
  assert.equal(bot.current(), running, "nothing was done");
  const answer = await post("/api/services/bot/pause", { authorization: `Bearer ${TOKEN}` }, '{"for": "1h", "reason": "maintenance"}');
  assert.equal(answer.status, 200);
  assert.match(((await answer.json()) as { summary: string }).summary, /^Paused "bot" for 1h at the request of http \(127\.0\.0\.1\) \(maintenance\)/);
  assert.equal(cli(files, ["pause", "bot", "--for", "banana"]).code, 64);
  assert.equal(cli(files, ["restart", "nobody"]).code, 64);
  process.kill(daemon.pid, "SIGTERM");
  assert.equal(await daemon.exited, 0);
  // No daemon now: a command cannot be acted on from the CLI, and says how to run it.
  const refused = cli(files, ["restart", "bot"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^lifeguard: Cannot restart "bot" as no Lifeguard runs it: a command runs only under "lifeguard run", which starts it\nhint: Start the daemon: lifeguard run -c /);
});

const support = sandboxSupport();

describe("without a daemon the CLI acts on a systemd unit itself", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("stop leaves the unit stopped through check rounds, start brings it back, each in the history", async () => {
    const bot = await installBot(sandbox, "controlled");
    const config = writeConfig(bot, { checks: [{ "log-fresh": { path: bot.log, "max-age": "1m" } }], "failure-threshold": 1 });
    const state = async () => (await sandbox.exec(["systemctl", "show", "--property=ActiveState", "--value", bot.unit])).stdout.trim();
    const stop = await lifeguard(sandbox, ["stop", "bot", "-c", config]);
    assert.equal(stop.exitCode, 0, stop.stderr);
    assert.equal(await state(), "inactive");
    // A cron-started check leaves it stopped (and is not unhealthy for it).
    const check = await lifeguard(sandbox, ["check", "-c", config]);
    assert.equal(check.exitCode, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /"bot" is stopped, by root \(cli\) \d+m?s ago: not judged until "lifeguard start bot -c \S+"/);
    assert.equal(await state(), "inactive");
    const start = await lifeguard(sandbox, ["start", "bot", "-c", config]);
    assert.equal(start.exitCode, 0, start.stderr);
    assert.equal(await state(), "active");
    const restart = await lifeguard(sandbox, ["restart", "bot", "-c", config]);
    assert.equal(restart.exitCode, 0, restart.stderr);
    // Its log goes to standard output here (no log.file), steps and all, as `check`'s does.
    assert.match(restart.stdout, /Restart step verify: it is "active" and its checks pass after \d+ms\n\[[^\]]+\] \[RESTART\] Restarted "bot" at the request of root \(cli\)\n$/);
  });
});
