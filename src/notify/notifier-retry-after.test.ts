import { test } from "node:test";
import assert from "node:assert/strict";
import type { ChannelConfig } from "../config/types.js";
import { createMemoryLogger } from "../core/logger.js";
import { makeTempDir, openTestStore } from "../store/fixtures/helpers.js";
import { DEFAULT_ALERTING as ALERTING, sampleAlert } from "../testing/alerts.js";
import { createFakeClock } from "../testing/fake-clock.js";
import { startTelegramReceiver } from "../testing/telegram-receiver.js";
import { startWebhookReceiver } from "../testing/webhook-receiver.js";
import { draftAlerts } from "../core/alert-drafts.js";
import { createNotifier } from "./notifier.js";
import { createChannel } from "./registry.js";

/** One alert queued for `config`'s channel, flushed once against the real receiver: what the notifier chose. */
async function flushOnce(t: { after(fn: () => void): void }, config: ChannelConfig) {
  const clock = createFakeClock();
  const store = openTestStore(t, makeTempDir(t), { now: clock.now });
  const logger = createMemoryLogger();
  const notifier = createNotifier({ outbox: store, channels: [{ channel: createChannel(config, { clock }), config }], alerting: ALERTING, clock, logger, owner: "1@test" });
  const { id: _id, ...body } = sampleAlert({ at: clock.now(), message: "restarted", service: "trader" });
  store.enqueueAlerts(draftAlerts([body], [config.name], ALERTING));
  await notifier.flush(new AbortController().signal);
  return { clock, store, logger, notifier };
}

test("a Telegram 429 with retry_after 1 is retried after 1s, not after the 30s backoff", async (t) => {
  const bot = await startTelegramReceiver();
  t.after(() => bot.close());
  bot.behave({ kind: "flood", retryAfter: 1 }, { kind: "accept" });
  const { clock, store, logger, notifier } = await flushOnce(t, bot.config({ name: "phone" }));
  assert.equal(store.nextDueAt(["phone"]), clock.now() + 1000);
  assert.equal(logger.entries.at(-1)?.message, 'Cannot send to Telegram chat "42" as it answered 429 Too Many Requests: retry after 1; alert "Restarted "trader" on testhost" will be sent again in 1s');
  await clock.advance(1000);
  await notifier.flush(new AbortController().signal);
  assert.equal(bot.received.length, 1);
});

test("a webhook's Retry-After wins over the backoff, and a Retry-After of 0 waits the 1s floor", async (t) => {
  const hook = await startWebhookReceiver();
  t.after(() => hook.close());
  hook.behave({ kind: "fail", status: 503, retryAfter: "2" });
  const two = await flushOnce(t, hook.config({ name: "chat" }));
  assert.equal(two.store.nextDueAt(["chat"]), two.clock.now() + 2000);
  hook.behave({ kind: "fail", status: 429, retryAfter: "0" });
  const zero = await flushOnce(t, hook.config({ name: "chat" }));
  assert.equal(zero.store.nextDueAt(["chat"]), zero.clock.now() + 1000);
});

test("a receiver's wait longer than alerting.retry.max is cut to it", async (t) => {
  const bot = await startTelegramReceiver();
  t.after(() => bot.close());
  bot.behave({ kind: "flood", retryAfter: 86_400 });
  const { clock, store } = await flushOnce(t, bot.config({ name: "phone" }));
  assert.equal(store.nextDueAt(["phone"]), clock.now() + ALERTING.retry.maxMs);
});
