import { test } from "node:test";
import assert from "node:assert/strict";
import type { Alert } from "../core/alert.js";
import { createMemoryLogger } from "../core/logger.js";
import type { ChannelCommon } from "../config/types.js";
import { makeTempDir, openTestStore } from "../store/fixtures/helpers.js";
import { DEFAULT_ALERTING as ALERTING, sampleAlert } from "../testing/alerts.js";
import { createFakeClock, type FakeClock } from "../testing/fake-clock.js";
import { createBoundedChannel } from "./bounded-channel.js";
import type { SendFinding } from "./channel.js";
import { draftAlerts } from "../core/alert-drafts.js";
import { createNotifier } from "./notifier.js";

const MIN = 60_000;

/** A channel whose answers the test scripts: `answers` are used in turn, the last one repeats; `hang` never answers. */
function scriptedChannel(name: string, clock: FakeClock, answers: Array<SendFinding | "hang">, overrides: Partial<ChannelCommon> = {}) {
  const sent: Array<readonly Alert[]> = [];
  const config: ChannelCommon & { type: string } = { name, type: "test", timeoutMs: 10_000, failover: null, failoverAfterMs: 10 * MIN, ...overrides };
  let turn = 0;
  const channel = createBoundedChannel(config, clock, async (alerts, signal) => {
    sent.push(alerts);
    const answer = answers[Math.min(turn++, answers.length - 1)];
    if (answer === "hang" || answer === undefined) return new Promise<SendFinding>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    return answer;
  }, ["s3cret-token"]);
  return { entry: { channel, config }, sent };
}

const OK: SendFinding = { ok: true, summary: "Sent", evidence: {} };
const DOWN: SendFinding = { ok: false, summary: "Cannot send as the connection was refused", evidence: {} };
const REFUSED: SendFinding = { ok: false, summary: "Cannot send as the token s3cret-token was refused (401)", evidence: {}, permanent: true };

function setUp(t: { after(fn: () => void): void }, channels: Array<ReturnType<typeof scriptedChannel>["entry"]>, clock: FakeClock, cliAddress?: string[]) {
  const store = openTestStore(t, makeTempDir(t), { now: clock.now });
  const logger = createMemoryLogger();
  const notifier = createNotifier({ outbox: store, channels, alerting: ALERTING, clock, logger, owner: "1@test", ...(cliAddress === undefined ? {} : { cliAddress }) });
  const queue = (message: string, route = channels.map((entry) => entry.config.name)) => {
    const { id: _id, ...body } = sampleAlert({ at: clock.now(), message, service: message });
    store.enqueueAlerts(draftAlerts([body], route, ALERTING));
  };
  return { store, logger, notifier, queue };
}

test("a flush sends each due alert once and logs it", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [OK]);
  const { notifier, queue, logger } = setUp(t, [phone.entry], clock);
  queue("restarted");
  const report = await notifier.flush(new AbortController().signal);
  assert.equal(report.deliveries.length, 1);
  assert.equal(phone.sent.length, 1);
  assert.equal(phone.sent[0]?.[0]?.message, "restarted");
  await notifier.flush(new AbortController().signal);
  assert.equal(phone.sent.length, 1);
  assert.match(logger.entries.at(-1)?.message ?? "", /^Sent alert "Restarted "trader" on testhost" to "phone"$/);
});

test("alerts due together go out as one digest, oldest first", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [OK]);
  const { notifier, queue } = setUp(t, [phone.entry], clock);
  queue("first");
  await clock.advance(1000);
  queue("second");
  await notifier.flush(new AbortController().signal);
  assert.deepEqual(phone.sent.map((batch) => batch.map((alert) => alert.message)), [["first", "second"]]);
});

test("a failed channel is retried after the backoff, doubling, and what piled up meanwhile goes with it", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [DOWN, DOWN, OK]);
  const { notifier, queue, store, logger } = setUp(t, [phone.entry], clock);
  queue("first");
  await notifier.flush(new AbortController().signal);
  assert.match(logger.entries.at(-1)?.message ?? "", /^Cannot send as the connection was refused; alert ".*" will be sent again in 30s$/);
  queue("second");
  await notifier.flush(new AbortController().signal);
  assert.equal(phone.sent.length, 1, "the channel waits for its retry time");
  await clock.advance(30_000);
  await notifier.flush(new AbortController().signal);
  assert.equal(phone.sent.length, 2);
  assert.equal(store.nextDueAt(["phone"]), clock.now() + 60_000, "the second wait is twice the first");
  await clock.advance(60_000);
  await notifier.flush(new AbortController().signal);
  assert.deepEqual(phone.sent.at(-1)?.map((alert) => alert.message), ["first", "second"]);
  assert.equal(store.channelHealth(["phone"])[0]?.pending, 0);
});

test("a receiver's retry-after is honoured when longer than the backoff", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [{ ...DOWN, retryAfterMs: 5 * MIN }, OK]);
  const { notifier, queue, store } = setUp(t, [phone.entry], clock);
  queue("first");
  await notifier.flush(new AbortController().signal);
  assert.equal(store.nextDueAt(["phone"]), clock.now() + 5 * MIN);
});

test("a permanent failure is not retried, and its secret never reaches the log or the status", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [REFUSED]);
  const { notifier, queue, store, logger } = setUp(t, [phone.entry], clock);
  queue("first");
  await notifier.flush(new AbortController().signal);
  await clock.advance(60 * MIN);
  await notifier.flush(new AbortController().signal);
  assert.equal(phone.sent.length, 1);
  const line = logger.entries.at(-1);
  assert.equal(line?.tag, "ERROR");
  assert.ok(!JSON.stringify(logger.entries).includes("s3cret-token"));
  assert.ok(!JSON.stringify(store.channelHealth(["phone"])).includes("s3cret-token"));
  assert.match(store.channelHealth(["phone"])[0]?.lastError ?? "", /\[secret\]/);
});

test("a permanent failure's log line names the test-alert command that works as printed", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [REFUSED]);
  const { notifier, queue, logger } = setUp(t, [phone.entry], clock, ["-c", "/srv/my bots/lifeguard.yaml"]);
  queue("first");
  await notifier.flush(new AbortController().signal);
  assert.match(logger.entries.at(-1)?.message ?? "", / will not be sent to "phone" \(fix the channel, then "lifeguard test-alert phone -c '\/srv\/my bots\/lifeguard\.yaml'"\)$/);
});

test("a channel that keeps failing hands its alerts to its failover channel", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [DOWN], { failover: "mail", failoverAfterMs: 2 * MIN });
  const mail = scriptedChannel("mail", clock, [OK]);
  const { notifier, queue } = setUp(t, [phone.entry, mail.entry], clock);
  queue("first", ["phone"]);
  for (let i = 0; i < 4 && mail.sent.length === 0; i++) {
    await notifier.flush(new AbortController().signal);
    await clock.advance(MIN);
  }
  await notifier.flush(new AbortController().signal);
  assert.deepEqual(mail.sent.map((batch) => batch.map((alert) => alert.message)), [["first"]]);
  const attempts = phone.sent.length;
  await clock.advance(30 * MIN);
  await notifier.flush(new AbortController().signal);
  assert.equal(phone.sent.length, attempts, "the failing channel no longer tries it");
});

test("a channel that hangs is cut off at its timeout and never delays another channel", async (t) => {
  const clock = createFakeClock();
  const hook = scriptedChannel("hook", clock, ["hang", OK]);
  const phone = scriptedChannel("phone", clock, [OK]);
  const { notifier, queue, store } = setUp(t, [hook.entry, phone.entry], clock);
  queue("first");
  const flushing = notifier.flush(new AbortController().signal);
  // The fast channel delivered while the hanging one still waits.
  for (let i = 0; i < 10 && phone.sent.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(phone.sent.length, 1);
  await clock.advance(10_000);
  const report = await flushing;
  const timedOut = report.deliveries.find((delivery) => delivery.channel === "hook");
  assert.equal(timedOut?.timedOut, true);
  assert.equal(store.channelHealth(["hook"])[0]?.pending, 1);
});

test("an alert that cannot be delivered before it expires is dropped and logged", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [DOWN]);
  const { notifier, queue, logger } = setUp(t, [phone.entry], clock);
  queue("first");
  await notifier.flush(new AbortController().signal);
  await clock.advance(25 * 60 * MIN);
  const report = await notifier.flush(new AbortController().signal);
  assert.equal(report.expired.length, 1);
  assert.match(logger.entries.at(-1)?.message ?? "", /^Dropped alert ".*" for "phone" as it could not be delivered within 1d \(alerting\.expire\)$/);
});

test("identical alerts folded into one say how often they happened", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [OK]);
  const { notifier, queue } = setUp(t, [phone.entry], clock);
  queue("same");
  queue("same");
  queue("same");
  await notifier.flush(new AbortController().signal);
  assert.equal(phone.sent[0]?.length, 1);
  assert.match(phone.sent[0]?.[0]?.details.at(-1) ?? "", /^Happened 3 times/);
});

test("the loop sends what is queued when woken, and stops when its signal aborts", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [OK]);
  const { notifier, queue } = setUp(t, [phone.entry], clock);
  const controller = new AbortController();
  const running = notifier.run(controller.signal);
  queue("first");
  notifier.wake();
  for (let i = 0; i < 20 && phone.sent.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(phone.sent.length, 1);
  controller.abort();
  await running;
});

test("a store that cannot be read now is logged; the flush goes on with the other channels and never throws", async (t) => {
  const clock = createFakeClock();
  const phone = scriptedChannel("phone", clock, [OK]);
  const mail = scriptedChannel("mail", clock, [OK]);
  const { store, queue } = setUp(t, [phone.entry, mail.entry], clock);
  const logger = createMemoryLogger();
  const busy = { ...store, claimDue: (channel: string, ...rest: Parameters<typeof store.claimDue> extends [string, ...infer R] ? R : never) => {
    if (channel === "phone") throw new Error("database is locked");
    return store.claimDue(channel, ...rest);
  } };
  const notifier = createNotifier({ outbox: busy, channels: [phone.entry, mail.entry], alerting: ALERTING, clock, logger, owner: "1@test" });
  queue("first");
  const report = await notifier.flush(new AbortController().signal);
  assert.deepEqual(report.deliveries.map((delivery) => delivery.channel), ["mail"]);
  assert.equal(logger.entries[0]?.message, 'Cannot deliver the alerts of "phone" now as database is locked; they stay in the outbox');
  assert.equal(store.channelHealth(["phone"])[0]?.pending, 1);
});
