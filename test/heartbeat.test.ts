// Heartbeats against the real daemon: a supervised bot pings $LIFEGUARD_PING_URL (its own ping
// key, never the token); when it hangs but stays alive its pings stop and `lifeguard run`
// restarts it as soon as max-age runs out, not at the end of its 30s interval. curl pings the
// same endpoint as crontabs do: with the token 200, without 401, an unknown service 404, and a
// /fail restarts the service at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { derivePingKey } from "../src/http/token.js";
import { waitFor } from "../src/testing/wait-for.js";
import { daemonFiles, pingingBotService, startDaemon, statusUrl, trackBot } from "./support/daemon.js";

const TOKEN = "heartbeat-test-token-0123456789";
const CURL = "/usr/bin/curl";
const NO_CURL = existsSync(CURL) ? false : `needs ${CURL}`;
/**
 * Bound on waiting for a restart once the bot went quiet or failed: well under the 30s interval,
 * so a restart within it was driven by the heartbeat's due time or the /fail wake, not a timer.
 */
const RESTART_WAIT = { timeoutMs: 20_000, intervalMs: 50 };
const WAIT = { timeoutMs: 20_000, intervalMs: 50 };

/** GETs `url` with /usr/bin/curl (argv, no shell); resolves to the HTTP status. */
function curl(url: string, headers: string[] = []): Promise<number> {
  const args = ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-m", "10", ...headers.flatMap((header) => ["-H", header]), url];
  return new Promise((resolve, reject) => {
    const child = spawn(CURL, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`curl exited with ${code}`))));
  });
}

test("heartbeat pings by the bot and by curl: a hung bot and a reported failure are restarted at once", { skip: NO_CURL }, async (t) => {
  const files = daemonFiles("lifeguard-heartbeat-");
  const pidFile = join(files.dir, "bot.pid");
  const output = join(files.dir, "bot.out.log");
  const bot = trackBot(pidFile);
  const lifeguard = startDaemon(t, files, {
    state: files.state,
    log: { file: files.watchdogLog },
    http: { listen: "127.0.0.1:0", token: TOKEN },
    services: {
      bot: pingingBotService(pidFile, output),
    },
  }, [bot]);
  const text = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
  const watchdogLog = files.watchdogLog;
  const count = (pattern: RegExp) => lifeguard.count(pattern);
  const restarted = /\[RESTART\] "bot" restarted \(reason: heartbeat\)/;
  /** Waits until Lifeguard restarted the bot once more than `before`, and a new bot runs. */
  const waitForRestart = async (before: number, oldPid: number) =>
    waitFor(() => count(restarted) > before && ![null, oldPid].includes(bot.current()), RESTART_WAIT);

  // The bot pings with the URL Lifeguard gave it, on the port the system picked.
  assert.ok(await waitFor(() => /status at http:\/\/127\.0\.0\.1:\d+\/api\/status/.test(text(watchdogLog)), WAIT), text(watchdogLog));
  const url = statusUrl(text(watchdogLog)) as string;
  assert.ok(await waitFor(() => bot.current() !== null && /heartbeat-bot: ping 200\n[\s\S]*ping 200\n/.test(text(output)), WAIT), text(output) + text(watchdogLog));
  const metrics = async () => (await fetch(`${url}/metrics`)).text();
  assert.ok(await waitFor(async () => /^lifeguard_check_ok\{service="bot",check="heartbeat"\} 1$/m.test(await metrics()), WAIT), await metrics());
  assert.match(await metrics(), /^lifeguard_heartbeat_age_seconds\{service="bot",check="heartbeat"\} \d/m);
  const statusOf = () => fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const status = (await (await statusOf()).json()) as { services: Array<{ health: { kind: string }; lastPing: { signal: { kind: string } } | null }> };
  assert.equal(status.services[0]?.health.kind, "healthy");
  assert.equal(status.services[0]?.lastPing?.signal.kind, "success");
  assert.doesNotMatch(text(output), new RegExp(TOKEN), "the bot never sees the token");

  // curl, as a crontab pings: the token in a header; none is 401; an unknown service 404.
  assert.equal(await curl(`${url}/ping/bot`, [`Authorization: Bearer ${TOKEN}`]), 200);
  assert.equal(await curl(`${url}/ping/bot`), 401);
  assert.equal(await curl(`${url}/ping/bot?token=wrong-token-0123456789`), 401);
  assert.equal(await curl(`${url}/ping/nope`, [`Authorization: Bearer ${TOKEN}`]), 404);

  // Hung but alive: the bot stops pinging; Lifeguard restarts it once max-age has run out.
  const first = bot.current() as number;
  let before = count(restarted);
  process.kill(first, "SIGUSR1");
  assert.ok(await waitForRestart(before, first), text(watchdogLog));
  assert.match(text(watchdogLog), /\[FAIL\] No heartbeat for \d+s \(max-age 2s\)/);

  // A failure reported by curl, on a bot gone quiet so that no fresh ping of its own clears it.
  // (The restart was verified by a passing heartbeat: the new bot has pinged.)
  const second = bot.current() as number;
  before = count(restarted);
  process.kill(second, "SIGUSR1");
  assert.equal(await curl(`${url}/ping/bot/fail`, [`Authorization: Bearer ${TOKEN}`]), 200);
  assert.ok(await waitForRestart(before, second), text(watchdogLog));
  assert.match(text(watchdogLog), /\[FAIL\] "bot" reported failure at \S+ \(\d+m?s ago\)/);

  // A failure reported by the bot itself, with its ping key.
  const third = bot.current() as number;
  before = count(restarted);
  process.kill(third, "SIGUSR2");
  assert.ok(await waitForRestart(before, third), text(watchdogLog));

  // The new bot's pings make it healthy again.
  assert.ok(await waitFor(async () => {
    const now = (await (await statusOf()).json()) as typeof status;
    return now.services[0]?.health.kind === "healthy" && now.services[0]?.lastPing?.signal.kind === "success";
  }, WAIT), text(watchdogLog));

  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
  assert.match(text(watchdogLog), /Lifeguard stopped/);
  assert.doesNotMatch(text(watchdogLog), new RegExp(TOKEN), "the token is never logged");
  assert.doesNotMatch(text(watchdogLog), new RegExp(derivePingKey(TOKEN, "bot")), "nor the ping key");
  assert.deepEqual(bot.survivors(), []);
  assert.ok(bot.seen.size >= 4, "the first bot and three restarted ones were seen");
});
