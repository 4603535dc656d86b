// Fault: a stranger on the box asks the daemon's HTTP surface for what a service wrote. Its
// captured output is mode 0640 on disk; the restart that its crash caused keeps the lines as
// evidence (the forbidden "Traceback" line, the last matching lines). Without the token no
// answer holds one of those lines (`/api/history` is refused, `/api/status` names services and
// their health only); with the token, the history and the status show them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { derivePingKey } from "../../src/http/token.js";
import { logBotArgv } from "../../src/testing/bots.js";
import { waitFor } from "../../src/testing/wait-for.js";
import { daemonConfig, daemonFiles, startDaemon, statusUrl, trackBot } from "../support/daemon.js";

const TOKEN = "history-token-test-0123456789";
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };
/** What the bot writes: its activity lines and its crash line. */
const OUTPUT_LINE = /simulated crash|Traceback|VIX|Position|Update \d/;

test("without the token no answer shows a line the service wrote; with it, the history and the status do", async (t) => {
  const files = daemonFiles("lifeguard-history-token-");
  const pidFile = join(files.dir, "bot.pid");
  const output = join(files.dir, "bot.out.log");
  const bot = trackBot(pidFile);
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    http: { listen: "127.0.0.1:0", token: TOKEN },
    services: {
      bot: {
        command: logBotArgv("-", { everyMs: 100, crashAfter: 5, pidFile }),
        output: { file: output },
        interval: "1s",
        checks: [{ "log-activity": { path: output, lines: 20, match: "VIX", forbid: "Traceback" } }],
        "failure-threshold": 1,
        "startup-grace": "0s",
        restart: { "stop-timeout": "1s", "kill-wait": "1s", "verify-timeout": "5s", limit: { max: 1, per: "1h" } },
      },
    },
  }), [bot]);
  assert.ok(await waitFor(() => statusUrl(lifeguard.log()) !== undefined, WAIT), lifeguard.log());
  const url = statusUrl(lifeguard.log()) as string;
  const get = async (path: string, token?: string) => {
    const response = await fetch(`${url}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text() };
  };

  // The crash made a restart whose evidence holds the bot's lines.
  assert.ok(await waitFor(async () => /simulated crash/.test((await get("/api/history", TOKEN)).text), WAIT), lifeguard.log());
  // Once the restart is settled, the status holds it with its evidence, for the token's holder.
  assert.ok(await waitFor(async () => OUTPUT_LINE.test((await get("/api/status", TOKEN)).text), WAIT), lifeguard.log());

  const history = await get("/api/history?service=bot&limit=1000");
  assert.equal(history.status, 401);
  assert.deepEqual(JSON.parse(history.text), { error: 'Cannot accept a request for /api/history without the token: send "Authorization: Bearer TOKEN" or add "?token=TOKEN"' });
  const status = await get("/api/status");
  assert.equal(status.status, 200);
  const overview = JSON.parse(status.text) as { services: Array<Record<string, unknown>>; channels?: unknown };
  assert.deepEqual(overview.services.map((service) => Object.keys(service).sort()), [["health", "restartsInWindow", "service", "watched"]]);
  assert.equal(overview.channels, undefined);
  for (const path of ["/healthz", "/api/status", "/api/history", "/api/history?token=wrong-token-0123456789", "/metrics"]) {
    const answer = await get(path);
    assert.doesNotMatch(answer.text, OUTPUT_LINE, path);
  }
  // The service's real ping key (what its LIFEGUARD_PING_URL carries) opens its pings, not its output.
  assert.equal((await get("/api/history", derivePingKey(TOKEN, "bot"))).status, 401);
});
