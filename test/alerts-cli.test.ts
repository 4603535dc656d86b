// Alerts as a user meets them: `lifeguard test-alert`, the channels in `status`, secrets nowhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { runCommand } from "../src/process/run-command.js";
import { startTelegramReceiver, TEST_BOT_TOKEN } from "../src/testing/telegram-receiver.js";
import { startWebhookReceiver, TEST_WEBHOOK_PATH } from "../src/testing/webhook-receiver.js";
import { BIN } from "./support/lab.js";

type TestContext = { after(fn: () => void | Promise<void>): void };

/** A config of one systemd service (never checked here) and `alerts`, in a temp dir; `run` runs the CLI on it. */
function workspace(t: TestContext, alerts: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-alerts-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, "lifeguard.yaml");
  writeFileSync(config, stringify({ state: join(dir, "state"), services: { trader: { systemd: "gemini-trader" } }, alerts }));
  const run = (args: string[], env: Record<string, string> = {}) =>
    runCommand([process.execPath, BIN, ...args, "-c", config], { timeoutMs: 60_000, cwd: dir, env: { ...process.env, ...env } });
  return { dir, run };
}

async function receivers(t: TestContext) {
  const hook = await startWebhookReceiver();
  const telegram = await startTelegramReceiver();
  t.after(() => hook.close());
  t.after(() => telegram.close());
  return { hook, telegram };
}

test("test-alert sends on every channel and says per channel what happened; a refused token fails it with exit 2", async (t) => {
  const { hook, telegram } = await receivers(t);
  const { run } = workspace(t, {
    hook: { type: "webhook", url: `${hook.origin}${TEST_WEBHOOK_PATH}`, preset: "slack" },
    phone: { type: "telegram", token: "${TG_TOKEN}", chat: "42", api: telegram.api },
  });
  const result = await run(["test-alert"], { TG_TOKEN: "999:wrong-token-that-is-secret" });
  assert.equal(result.exitCode, 2, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.equal(lines.length, 2, result.stdout);
  assert.match(lines[0] ?? "", /^ok +hook: Sent to Slack .* \[\d+(ms|s)\]$/);
  assert.match(lines[1] ?? "", /^FAIL +phone: Cannot send to Telegram .*401.*retrying will not help until the channel's settings change$/);
  assert.ok(!result.stdout.includes("wrong-token-that-is-secret") && !result.stderr.includes("wrong-token-that-is-secret"));
  assert.ok(!result.stdout.includes(TEST_WEBHOOK_PATH));
  assert.equal(hook.received.length, 1);
  assert.match(JSON.stringify(hook.received[0]?.body), /Test alert from Lifeguard/);
});

test("test-alert CHANNEL sends on that channel only and exits 0 when it delivered", async (t) => {
  const { hook, telegram } = await receivers(t);
  const { run } = workspace(t, {
    hook: { type: "webhook", url: `${hook.origin}${TEST_WEBHOOK_PATH}` },
    phone: { type: "telegram", token: TEST_BOT_TOKEN, chat: "42", api: telegram.api },
  });
  const result = await run(["test-alert", "phone"]);
  assert.equal(result.exitCode, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^ok +phone: Sent to Telegram chat "42"/);
  assert.equal(telegram.received.length, 1);
  assert.equal(hook.received.length, 0);
});

test("test-alert refuses an unknown channel (exit 64) and a config without channels (exit 78)", async (t) => {
  const { run } = workspace(t, { hook: { type: "webhook", url: "http://127.0.0.1:9/hook" } });
  const unknown = await run(["test-alert", "pager"]);
  assert.equal(unknown.exitCode, 64);
  assert.match(unknown.stderr, /^lifeguard: Cannot send a test alert to "pager" as the configuration has no such channel: "hook"$/m);
  const none = workspace(t, {});
  const empty = await none.run(["test-alert"]);
  assert.equal(empty.exitCode, 78);
  assert.match(empty.stderr, /has no alert channel/);
});

test("status shows each channel, and neither status nor its JSON shows a secret", async (t) => {
  const { run } = workspace(t, {
    phone: { type: "telegram", token: "${TG_TOKEN}", chat: "42" },
    hook: { type: "webhook", url: "https://hooks.example/s3cret-path", headers: { Authorization: "Bearer s3cret-header" } },
  });
  const env = { TG_TOKEN: "777:s3cret-telegram-token" };
  const table = await run(["status"], env);
  // Nothing watches this service yet: status exits 1 (its table still shows every channel).
  assert.equal(table.exitCode, 1, table.stderr);
  assert.match(table.stdout, /^CHANNEL +TYPE +PENDING +LAST SENT +LAST ERROR$/m);
  assert.match(table.stdout, /^phone +telegram +0 +never +-$/m);
  const json = await run(["status", "--json"], env);
  const parsed = JSON.parse(json.stdout) as { channels: Array<{ channel: string; type: string; pending: number }> };
  assert.deepEqual(parsed.channels.map((channel) => [channel.channel, channel.type, channel.pending]), [["phone", "telegram", 0], ["hook", "webhook", 0]]);
  for (const output of [table.stdout, json.stdout]) for (const secret of ["s3cret-telegram-token", "s3cret-path", "s3cret-header"]) assert.ok(!output.includes(secret), secret);
});
