// A channel that hangs, or always fails, never delays a restart: alerts go out on their own loop.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logBotArgv } from "../src/testing/bots.js";
import { startTelegramReceiver } from "../src/testing/telegram-receiver.js";
import { startWebhookReceiver, TEST_WEBHOOK_PATH } from "../src/testing/webhook-receiver.js";
import { waitFor } from "../src/testing/wait-for.js";
import { botFiles, daemonConfig, daemonFiles, startDaemon } from "./support/daemon.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };

test("a crashing bot is restarted again and again while one channel hangs and another always fails", async (t) => {
  const hook = await startWebhookReceiver();
  const telegram = await startTelegramReceiver();
  t.after(() => hook.close());
  t.after(() => telegram.close());
  hook.behave({ kind: "hang" });
  telegram.behave({ kind: "fail", status: 502, description: "Bad Gateway" });
  const files = daemonFiles("lifeguard-no-delay-");
  const { log, pidFile, bot } = botFiles(files);
  const lifeguard = startDaemon(t, files, daemonConfig(files, {
    services: {
      bot: {
        command: logBotArgv(log, { everyMs: 100, crashAfter: 5, pidFile }),
        interval: "30s",
        restart: { "stop-timeout": "2s", "kill-wait": "1s", "verify-timeout": "5s", limit: { max: 3, per: "1h" }, backoff: { initial: "1s", max: "1s" } },
      },
    },
    alerts: {
      hook: { type: "webhook", url: `${hook.origin}${TEST_WEBHOOK_PATH}`, timeout: "1m" },
      phone: { type: "telegram", token: "123456789:AAE-s3cret-Bot-Token_xyz", chat: "42", api: telegram.api },
    },
    alerting: { lifecycle: false },
  }), [bot]);

  assert.ok(await waitFor(() => hook.requests.length > 0, WAIT), lifeguard.log());
  assert.ok(await waitFor(() => /\[GAVE-UP\] Cannot restart "bot"/.test(lifeguard.log()), WAIT), lifeguard.log());
  // All three restarts and the give-up happened while the webhook still held its first request.
  assert.equal(lifeguard.count(/\[RESTART\] "bot" restarted/), 3, lifeguard.log());
  assert.equal(hook.requests[0]?.status, null, "the first webhook request is still unanswered");
  assert.equal(hook.requests.length, 1, "one attempt at a time per channel");
  assert.match(lifeguard.log(), /\[WARN\] Cannot send to Telegram .*502.*will be sent again in/);
  assert.ok(!lifeguard.log().includes("s3cret-Bot-Token"), "the token never reaches the log");
});
