import { test } from "node:test";
import assert from "node:assert/strict";
import { describeSender, readUpdate } from "./read-update.js";
import { triageUpdate } from "./triage-update.js";

const ALLOWED = new Set([42, -100456]);
const message = (chatId: number, text: unknown, extra: Record<string, unknown> = {}) => ({
  update_id: 9, message: { message_id: 3, date: 1_700_000_000, chat: { id: chatId, type: "private" }, from: { id: 7, username: "ops" }, text, ...extra },
});

test("a command from an allowed chat is taken, with who sent it and when", () => {
  const triage = triageUpdate(message(42, "/restart bot"), ALLOWED, "lg_bot");
  assert.deepEqual(triage, {
    kind: "command", updateId: 9, command: { name: "restart", args: ["bot"] },
    message: { updateId: 9, messageId: 3, chatId: 42, sentAt: 1_700_000_000_000, from: { id: 7, username: "ops" }, text: "/restart bot" },
  });
  assert.equal(triageUpdate(message(-100456, "/status@lg_bot"), ALLOWED, "lg_bot").kind, "command", "a group on the list");
});

test("a chat not on the allow-list is a stranger, whatever it sends", () => {
  assert.deepEqual(triageUpdate(message(43, "/restart bot"), ALLOWED, "lg_bot"), { kind: "stranger", updateId: 9, chatId: 43 });
  assert.deepEqual(triageUpdate(message(-42, "/status"), ALLOWED, "lg_bot"), { kind: "stranger", updateId: 9, chatId: -42 });
});

test("talk, a photo and another bot's command in an allowed chat are ignored", () => {
  assert.deepEqual(triageUpdate(message(42, "good morning"), ALLOWED, "lg_bot"), { kind: "ignored", updateId: 9 });
  assert.deepEqual(triageUpdate(message(42, undefined, { photo: [{ file_id: "x" }] }), ALLOWED, "lg_bot"), { kind: "ignored", updateId: 9 });
  assert.deepEqual(triageUpdate(message(42, "/restart@other_bot bot"), ALLOWED, "lg_bot"), { kind: "ignored", updateId: 9 });
});

test("a malformed update is named by its update_id when it has one, and never quotes its text", () => {
  const cases: Array<[unknown, number | null, string]> = [
    [null, null, "it is not an object"],
    [{ update_id: "9" }, null, "its update_id is not an integer"],
    [{ update_id: 9, edited_message: {} }, 9, "it holds no message (edited_message)"],
    [{ update_id: 9, message: "hi" }, 9, "its message is not an object"],
    [{ update_id: 9, message: { message_id: 3, chat: { id: "42" }, text: "/status" } }, 9, "its message has no chat id"],
    [{ update_id: 9, message: { chat: { id: 42 }, text: "/status" } }, 9, "its message has no message_id"],
    [message(42, 17), 9, "its message's text is not a string"],
    [message(42, `/status ${"x".repeat(5000)}`), 9, "its message's text is 5008 characters long, more than Telegram's 4096"],
  ];
  for (const [update, updateId, problem] of cases) assert.deepEqual(triageUpdate(update, ALLOWED, "lg_bot"), { kind: "malformed", updateId, problem }, problem);
});

test("who asked, for the history: the chat and the sender's user name, else their id", () => {
  const read = (from: unknown) => {
    const reading = readUpdate(message(-100456, "/status", { from }));
    assert.equal(reading.kind, "message");
    return reading.kind === "message" ? describeSender(reading.message) : "";
  };
  assert.equal(read({ id: 7, username: "ops" }), "telegram chat -100456 (@ops)");
  assert.equal(read({ id: 7 }), "telegram chat -100456 (user 7)");
  assert.equal(read({ id: 7, username: "we\nird name" }), "telegram chat -100456 (user 7)", "a user name Telegram would not give is not shown");
  assert.equal(read(undefined), "telegram chat -100456");
});
