// The reader of commands against a local server with the Bot API's semantics (getUpdates long
// polling, offsets, 409/401/5xx on demand): each update taken once, replies in the chat they came
// from, strangers and malformed updates skipped past. The daemon's end-to-end run is test/telegram-commands.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createMemoryLogger, type LogEntry } from "../../core/logger.js";
import type { UpdateOffset, UpdateOffsets } from "../../core/update-offsets.js";
import { systemClock } from "../../process/system-clock.js";
import { startTelegramReceiver, TEST_BOT_TOKEN, type TelegramReceiver } from "../../testing/telegram-receiver.js";
import { waitFor } from "../../testing/wait-for.js";
import type { AskedCommand } from "./answer-command.js";
import { LONG_POLL_S, startCommandPoller, type Poller } from "./poll-commands.js";

const WAIT = { timeoutMs: 15_000, intervalMs: 10 };

function memoryOffsets(): UpdateOffsets & { kept: Map<string, UpdateOffset> } {
  const kept = new Map<string, UpdateOffset>();
  return { kept, readUpdateOffset: (bot) => kept.get(bot) ?? null, saveUpdateOffset: (bot, offset, savedAt) => void kept.set(bot, { offset, savedAt }) };
}

type Context = { after(fn: () => unknown): void };

async function setUp(t: Context, options: { server?: TelegramReceiver; offsets?: ReturnType<typeof memoryOffsets>; token?: string } = {}) {
  const server = options.server ?? (await startTelegramReceiver({ chats: ["42", "-100456"] }));
  t.after(() => server.close());
  const offsets = options.offsets ?? memoryOffsets();
  const logger = createMemoryLogger();
  const asked: AskedCommand[] = [];
  const channel = { ...server.config({ name: "phone", ...(options.token === undefined ? {} : { token: options.token }) }), commands: { chats: [42, -100456] } };
  const ended = new AbortController();
  let poller: Poller | null = null;
  const start = (): void => {
    poller = startCommandPoller({
      channel, offsets, logger, clock: systemClock, signal: ended.signal,
      answer: async (command) => {
        asked.push(command);
        return `answer to /${command.command.name} of ${command.by}`;
      },
    });
  };
  start();
  t.after(async () => {
    ended.abort();
    await poller?.stop();
  });
  const lines = (pattern: RegExp): LogEntry[] => logger.entries.filter((entry) => pattern.test(entry.message));
  const stop = async () => poller?.stop();
  return { server, offsets, logger, asked, lines, stop, start };
}

test("commands are read by long polling, answered in their chat as replies, and the offset is kept past each", async (t) => {
  const { server, offsets, asked, lines } = await setUp(t);
  const id = server.updates.pushText({ chatId: 42, text: "/status@lifeguard_test_bot", from: { id: 7, username: "ops" } });
  assert.ok(await waitFor(() => server.received.length === 1, WAIT));
  const [reply] = server.received;
  assert.deepEqual([reply?.chatId, reply?.text], ["42", "answer to /status of telegram chat 42 (@ops)"]);
  assert.deepEqual(reply?.body.reply_parameters, { message_id: id, allow_sending_without_reply: true });
  assert.equal(reply?.body.parse_mode, undefined, "plain text: nothing in a reply is markup");
  assert.deepEqual(asked.map((command) => command.command), [{ name: "status", args: [] }]);
  assert.equal(offsets.kept.get(TEST_BOT_TOKEN.split(":")[0] ?? "")?.offset, id + 1);
  await server.updates.waitConfirmed();
  const polls = server.requests.filter((request) => request.path.endsWith("/getUpdates"));
  assert.deepEqual(polls[0]?.body, { timeout: LONG_POLL_S, limit: 10, allowed_updates: ["message"] });
  assert.deepEqual(server.updates.offsets.slice(0, 2), [undefined, id + 1], "the second request confirms the command");
  // One request at a time: at most one is held, the others were answered.
  assert.ok(polls.filter((request) => request.status === null).length <= 1);
  assert.equal(lines(/Taking commands from Telegram chats 42, -100456 through the bot @lifeguard_test_bot \(channel "phone"\)/).length, 1);
  assert.ok(!JSON.stringify(lines(/./)).includes(TEST_BOT_TOKEN.split(":")[1] ?? "-"), "no token in the log");
});

test("a chat not on the list gets nothing and is named in the log once; a malformed update is skipped; the offset moves past both", async (t) => {
  const { server, offsets, asked, lines } = await setUp(t);
  server.updates.pushText({ chatId: 43, text: "/restart bot secret-words" });
  server.updates.pushText({ chatId: 43, text: "/restart bot" });
  const broken = server.updates.push({ message: { message_id: 1, chat: { id: 42 }, text: 17 } });
  const huge = server.updates.pushText({ chatId: 42, text: `/status ${"x".repeat(5000)}` });
  server.updates.push({ edited_message: { message_id: 2 } });
  const last = server.updates.pushText({ chatId: -100456, text: "/history bot" });
  assert.ok(await waitFor(() => server.received.length === 1, WAIT));
  assert.deepEqual(server.received.map((reply) => reply.chatId), ["-100456"], "only the allowed group was answered");
  assert.deepEqual(asked.map((command) => command.command.name), ["history"]);
  assert.equal(lines(/from Telegram chat 43, which is not allowed to send commands/).length, 1);
  assert.equal(lines(/secret-words/).length, 0, "a stranger's text is never logged");
  assert.equal(lines(new RegExp(`^Skipped Telegram update ${broken} of channel "phone": its message's text is not a string$`)).length, 1);
  assert.equal(lines(new RegExp(`^Skipped Telegram update ${huge} of channel "phone": its message's text is 5008 characters long`)).length, 1);
  assert.equal(lines(/it holds no message \(edited_message\)/).length, 1);
  assert.ok(await waitFor(() => offsets.kept.get("123456789")?.offset === last + 1, WAIT));
  await server.updates.waitConfirmed();
});

test("updates that move the offset nowhere are not read again in a busy loop: said once, then retried with backoff", async (t) => {
  const { server, lines } = await setUp(t);
  server.updates.pushWithoutId({ message: { message_id: 1, chat: { id: 42 }, text: "/status" } });
  assert.ok(await waitFor(() => lines(/its 1 update\(s\) are none past offset \(none\); trying again, at least every 30s$/).length === 1, WAIT), JSON.stringify(lines(/./)));
  assert.ok(await waitFor(() => server.updates.offsets.length >= 3, WAIT), "read again, after a wait");
  assert.equal(lines(/^Skipped Telegram update \(no update_id\) of channel "phone": its update_id is not an integer$/).length, 1, "said once, however often it comes");
});

test("a command handled before Lifeguard stopped is not carried out again when the confirmation never reached Telegram", async (t) => {
  const server = await startTelegramReceiver({ chats: ["42"] });
  const offsets = memoryOffsets();
  const first = await setUp(t, { server, offsets });
  const id = server.updates.pushText({ chatId: 42, text: "/restart bot" });
  assert.ok(await waitFor(() => first.asked.length === 1 && server.received.length === 1, WAIT));
  await first.stop();
  // Telegram still holds the command, as when Lifeguard is killed before its next request.
  server.updates.forgetConfirmations();
  const requestsBefore = server.updates.offsets.length;
  const second = await setUp(t, { server, offsets });
  const next = server.updates.pushText({ chatId: 42, text: "/status" });
  assert.ok(await waitFor(() => second.asked.length === 1, WAIT));
  assert.deepEqual(second.asked.map((command) => command.command.name), ["status"], "the restart was not carried out twice");
  assert.equal(server.updates.offsets[requestsBefore], id + 1, "the new reader starts from the kept offset");
  assert.ok(next > id);
});

test("409 (another reader), 5xx and a network that is down are each said once and retried; the reader goes on when they pass", async (t) => {
  const { server, asked, lines } = await setUp(t);
  assert.ok(await waitFor(() => server.updates.offsets.length >= 1, WAIT));
  server.updates.behave({ kind: "fail", status: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" }, { kind: "fail", status: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" }, { kind: "fail", status: 502, description: "Bad Gateway" }, { kind: "serve" });
  // The held request ends with a 409 when another one comes: a second reader of the bot.
  server.updates.getUpdates({ timeout: 0 }, () => undefined);
  assert.ok(await waitFor(() => lines(/again, after/).length === 1, WAIT), JSON.stringify(lines(/./)));
  assert.equal(lines(/as it answered 409 Conflict: terminated by other getUpdates request.*another program reads this bot's updates/).length, 1);
  assert.equal(lines(/as it answered 502 Bad Gateway; trying again/).length, 1);

  const port = Number(new URL(server.api).port);
  await server.close();
  assert.ok(await waitFor(() => lines(/as the connection was (reset|refused) \(ECONN(RESET|REFUSED)\); trying again, at least every 30s/).length === 1, WAIT), JSON.stringify(lines(/./)));
  const back = await startTelegramReceiver({ chats: ["42"], port, firstUpdateId: 1000 });
  t.after(() => back.close());
  back.updates.pushText({ chatId: 42, text: "/status" });
  assert.ok(await waitFor(() => back.received.length === 1, { ...WAIT, timeoutMs: 40_000 }), JSON.stringify(lines(/./)));
  assert.equal(lines(/again, after/).length, 2);
  assert.equal(lines(/ECONNRESET|ECONNREFUSED/).length, 1, "said once however often, and however, it failed");
  assert.equal(asked.length, 1);
});

test("a refused token stops the reader with one ERROR; stopping Lifeguard ends a held request at once", async (t) => {
  const refused = await startTelegramReceiver();
  const { lines } = await setUp(t, { server: refused, token: "999:a-token-telegram-refuses" });
  assert.ok(await waitFor(() => lines(/the bot token was refused/).length === 1, WAIT));
  assert.equal(lines(/^Cannot read the commands of Telegram channel "phone" at "http:\/\/127\.0\.0\.1:\d+" as it answered 401 Unauthorized; the bot token was refused \(check `token`\): commands stay off until Lifeguard reloads or restarts$/).length, 1);
  const count = refused.requests.length;
  assert.equal(await waitFor(() => refused.requests.length > count, { timeoutMs: 2500, intervalMs: 50 }), false, "no request after it");

  const { server, stop } = await setUp(t);
  assert.ok(await waitFor(() => server.requests.some((request) => request.path.endsWith("/getUpdates") && request.status === null), WAIT));
  const stopped = stop().then(() => true);
  assert.ok(await waitFor(async () => Promise.race([stopped, Promise.resolve(false)]), { timeoutMs: 5000, intervalMs: 20 }), `the held request of ${LONG_POLL_S}s was aborted`);
});
