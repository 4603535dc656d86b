import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { TelegramChannelConfig } from "../../config/types.js";
import type { Alert } from "../../core/alert.js";
import { sampleAlert } from "../../testing/alerts.js";
import { createFakeClock } from "../../testing/fake-clock.js";
import { startTelegramReceiver, TEST_BOT_TOKEN, type TelegramReceiver } from "../../testing/telegram-receiver.js";
import { startWebhookReceiver } from "../../testing/webhook-receiver.js";
import type { SendFinding } from "../channel.js";
import { cutMarker } from "../fit-text.js";
import { renderText } from "../render-text.js";
import { createTelegramSender, TELEGRAM_TEXT_LIMIT } from "./telegram.js";

async function receiver(t: TestContext): Promise<TelegramReceiver> {
  const started = await startTelegramReceiver();
  t.after(() => started.close());
  return started;
}

function send(config: TelegramChannelConfig, alerts: readonly Alert[] = [sampleAlert()], signal = new AbortController().signal): Promise<SendFinding> {
  return createTelegramSender(config, { clock: createFakeClock() })(alerts, signal);
}

/** The token, in any form, is nowhere in what the sender found. */
function assertNoToken(finding: SendFinding): void {
  const text = JSON.stringify(finding);
  for (const part of [TEST_BOT_TOKEN, "s3cret", "/bot"]) assert.ok(!text.includes(part), `the result shows "${part}": ${text}`);
}

test("telegram sends one alert as one plain-text message: title, blank line, body", async (t) => {
  const bot = await receiver(t);
  const alert = sampleAlert();
  const finding = await send(bot.config(), [alert]);
  assert.deepEqual(finding, { ok: true, summary: 'Sent to Telegram chat "42" (message 1)', evidence: { api: bot.api, chat: "42", status: 200, messageId: 1 } });
  const { title, body } = renderText([alert]);
  assert.equal(bot.received.length, 1);
  assert.equal(bot.received[0]?.text, `${title}\n\n${body}`);
  assert.equal(bot.received[0]?.body.disable_web_page_preview, true);
  assert.equal(bot.received[0]?.body.parse_mode, undefined, "plain text: nothing in a log line can break the markup");
  assert.equal(bot.requests[0]?.headers["content-type"], "application/json");
  assertNoToken(finding);
});

test("telegram uses the configured API base URL, a path included (a self-hosted Bot API server)", async (t) => {
  const bot = await receiver(t);
  const finding = await send(bot.config({ api: `${bot.api}/telegram` }));
  assert.equal(finding.ok, true);
  assert.equal(bot.requests[0]?.path, `/telegram/bot${TEST_BOT_TOKEN}/sendMessage`);
  assert.equal(finding.evidence.api, bot.api, "only the origin is shown");
});

test("telegram sends a digest as one message naming every alert, oldest first", async (t) => {
  const bot = await receiver(t);
  const alerts = [1, 2, 3].map((n) => sampleAlert({ id: `lifeguard-testhost-${n}`, title: `Restarted "trader" on testhost (${n})`, at: Date.UTC(2026, 10, 28, 3, n) }));
  const finding = await send(bot.config(), alerts);
  assert.equal(finding.ok, true);
  assert.equal(bot.requests.length, 1);
  const text = bot.received[0]?.text ?? "";
  assert.ok(text.startsWith("Lifeguard on testhost: 3 alerts (restarted ×3)\n\n"), text);
  const positions = [1, 2, 3].map((n) => text.indexOf(`Restarted "trader" on testhost (${n})`));
  assert.ok(positions.every((at, i) => at > 0 && (i === 0 || at > (positions[i - 1] ?? 0))), `in order: ${positions.join(", ")}`);
});

test("telegram cuts a long message to 4096 characters with a marker, and Telegram accepts it", async (t) => {
  const bot = await receiver(t);
  const long = sampleAlert({ message: "😀".repeat(3000) + "x".repeat(5000) });
  const finding = await send(bot.config(), [long]);
  assert.equal(finding.ok, true, finding.summary);
  const text = bot.received[0]?.text ?? "";
  assert.ok(text.length <= TELEGRAM_TEXT_LIMIT, `${text.length} code units`);
  const cut = finding.evidence.cut as number;
  assert.ok(text.endsWith(cutMarker(cut)), text.slice(-80));
  assert.match(finding.summary, new RegExp(`^Sent to Telegram chat "42" \\(message 1\\), cut by ${cut} characters to Telegram's limit$`));
  assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text), "no half of a surrogate pair");
  const { title, body } = renderText([long]);
  const kept = text.slice(`${title}\n\n`.length, text.length - cutMarker(cut).length);
  assert.ok(body.startsWith(kept), "the body's start is kept as it is");
  assert.equal(Array.from(kept).length + cut, Array.from(body).length, "the marker counts the characters left out");
});

test("telegram 429 is temporary and asks to wait retry_after seconds", async (t) => {
  const bot = await receiver(t);
  bot.behave({ kind: "flood", retryAfter: 17 });
  const finding = await send(bot.config());
  assert.deepEqual(finding, {
    ok: false,
    summary: 'Cannot send to Telegram chat "42" as it answered 429 Too Many Requests: retry after 17',
    evidence: { api: bot.api, chat: "42", status: 429, description: "Too Many Requests: retry after 17" },
    cause: "Too Many Requests: retry after 17",
    retryAfterMs: 17_000,
  });
});

test("telegram 400 (chat not found) is permanent and quotes Telegram's description", async (t) => {
  const bot = await receiver(t);
  const finding = await send(bot.config({ chat: "-1009999" }));
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, 'Cannot send to Telegram chat "-1009999" as it answered 400 Bad Request: chat not found');
  assert.equal(finding.cause, "Bad Request: chat not found");
  assert.equal(bot.received.length, 0);
});

test("telegram 400 for a group that became a supergroup names the new chat id", async (t) => {
  const bot = await receiver(t);
  bot.behave({ kind: "fail", status: 400, description: "Bad Request: group chat was upgraded to a supergroup chat", parameters: { migrate_to_chat_id: -1001234567890 } });
  const finding = await send(bot.config());
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, 'Cannot send to Telegram chat "42" as it answered 400 Bad Request: group chat was upgraded to a supergroup chat; the group is now chat "-1001234567890" (set `chat` to it)');
});

test("telegram 401 is permanent: the token was refused, and the token shows nowhere", async (t) => {
  const bot = await receiver(t);
  const finding = await send(bot.config({ token: "987654321:AAE-wrong-s3cret" }));
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, 'Cannot send to Telegram chat "42" as it answered 401 Unauthorized; the bot token was refused (check `token`)');
  assert.equal(finding.retryAfterMs, undefined);
  assert.ok(!JSON.stringify(finding).includes("987654321"), JSON.stringify(finding));
  assertNoToken(finding);
});

test("telegram 404 (a malformed token) is permanent like a 401", async (t) => {
  const bot = await receiver(t);
  bot.behave({ kind: "fail", status: 404, description: "Not Found" });
  const finding = await send(bot.config());
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, 'Cannot send to Telegram chat "42" as it answered 404 Not Found; the bot token was refused (check `token`)');
  assertNoToken(finding);
});

test("telegram 403 (blocked) is permanent and says what to change", async (t) => {
  const bot = await receiver(t);
  bot.behave({ kind: "fail", status: 403, description: "Forbidden: bot was blocked by the user" });
  const finding = await send(bot.config());
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, 'Cannot send to Telegram chat "42" as it answered 403 Forbidden: bot was blocked by the user; the bot may not write to chat "42" (add it to the chat, or unblock it)');
});

test("telegram 5xx is temporary", async (t) => {
  const bot = await receiver(t);
  bot.behave({ kind: "fail", status: 502, description: "Bad Gateway" });
  const finding = await send(bot.config());
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, undefined);
  assert.equal(finding.summary, 'Cannot send to Telegram chat "42" as it answered 502 Bad Gateway');
  bot.behave({ kind: "accept" });
  assert.equal((await send(bot.config())).ok, true, "the next attempt goes through");
});

test("telegram hides the token when a server quotes the request path in its description", async (t) => {
  const bot = await receiver(t);
  bot.behave({ kind: "fail", status: 500, description: `Internal error at /bot${TEST_BOT_TOKEN}/sendMessage` });
  const finding = await send(bot.config());
  assert.equal(finding.ok, false);
  assertNoToken(finding);
});

test("telegram: a refused connection is temporary, named by the API's origin only", async (t) => {
  const bot = await receiver(t);
  const config = bot.refusingConfig();
  const finding = await send(config);
  assert.deepEqual(finding, {
    ok: false,
    summary: `Cannot send to Telegram at "${config.api}" as the connection was refused (ECONNREFUSED)`,
    evidence: { api: config.api, chat: "42" },
    cause: "the connection was refused (ECONNREFUSED)",
  });
  assertNoToken(finding);
});

test("telegram lets go of a server that never answers once the signal aborts", async (t) => {
  const bot = await receiver(t);
  bot.behave({ kind: "hang" });
  const controller = new AbortController();
  const sending = send(bot.config(), [sampleAlert()], controller.signal);
  await bot.waitForRequests(1);
  controller.abort(new DOMException("timed out", "TimeoutError"));
  const finding = await sending;
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, undefined);
  assert.equal(finding.summary, `Cannot send to Telegram at "${bot.api}" as it did not answer in time`);
  assertNoToken(finding);
});

test("telegram: an answer that is not the Bot API's is permanent (the `api` points elsewhere)", async (t) => {
  const other = await startWebhookReceiver();
  t.after(() => other.close());
  const bot = await receiver(t);
  const finding = await send(bot.config({ api: other.origin }));
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, `Cannot send to Telegram at "${other.origin}" as its answer (200) is not the Bot API's: check \`api\``);
  assertNoToken(finding);
});
