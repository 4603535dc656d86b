// The outbox end to end: with the SMTP server down, a supervised bot crashes, is restarted and
// then given up on; both alerts wait in the store. Lifeguard is killed with SIGKILL, the server
// comes up, a new Lifeguard starts: each alert arrives exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { logBotArgv } from "../src/testing/bots.js";
import { refusedSmtpConfig, startSmtpReceiver } from "../src/testing/smtp-receiver.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, startDaemon, statusUrl } from "./support/daemon.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };

/** The channels' state in /api/status is for the token's holder only. */
const TOKEN = "alerts-outage-token-0123456789";

test("alerts queued while the SMTP server is down survive a kill -9 and arrive exactly once when it is back", async (t) => {
  // A port nothing listens on yet: the "down" server, which later comes up on it.
  const { port } = (await refusedSmtpConfig()).transport as { port: number };
  const files = daemonFiles("lifeguard-outage-");
  const { log, pidFile, bot } = botFiles(files);
  const config = daemonConfig(files, {
    http: { listen: "127.0.0.1:0", token: TOKEN },
    services: {
      bot: {
        command: logBotArgv(log, { everyMs: 100, crashAfter: 10, pidFile }),
        interval: "30s",
        restart: { "stop-timeout": "2s", "kill-wait": "1s", "verify-timeout": "5s", limit: { max: 1, per: "1h" } },
      },
    },
    alerts: { mail: { type: "email", to: "ops@example.com", from: "lifeguard@test.example", smtp: { host: "127.0.0.1", port, starttls: "off" }, timeout: "2s" } },
    alerting: { retry: { initial: "1s", max: "1s" }, lifecycle: false },
  });
  const first = startDaemon(t, files, config, [bot]);
  const pending = async (): Promise<number> => {
    const url = statusUrl(first.log());
    if (url === undefined) return 0;
    const status = (await (await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { channels: Array<{ pending: number; lastError: string | null }> };
    return status.channels[0]?.pending ?? 0;
  };
  assert.ok(await waitFor(() => /\[GAVE-UP\] Cannot restart "bot"/.test(first.log()), WAIT), first.log());
  assert.ok(await waitFor(async () => (await pending()) === 2, WAIT), first.log());
  assert.match(first.log(), /Cannot send .* will be sent again in 1s/);

  process.kill(first.pid, "SIGKILL");
  await first.exited;
  const smtp = await startSmtpReceiver({ port });
  t.after(() => smtp.close());
  const second = startDaemon(t, files, config, [bot]);
  const arrived = (pattern: RegExp): number => smtp.received.filter((email) => pattern.test(email.body)).length;
  assert.ok(await waitFor(() => arrived(/"bot" restarted \(reason: running\)/) > 0 && arrived(/Cannot restart "bot" as the restart limit is reached/) > 0, WAIT), second.log());
  // Two more retry periods: nothing is sent again.
  await delay(2500);
  assert.equal(arrived(/"bot" restarted \(reason: running\)/), 1);
  assert.equal(arrived(/Cannot restart "bot" as the restart limit is reached/), 1);
  assert.match(second.log(), /Sent (alert .*|2 alerts as one digest) to "mail"/);
});
