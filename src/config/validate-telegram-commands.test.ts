import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { validateConfig } from "./validate.js";
import { configValidators } from "../testing/validate-helpers.js";

const options = { source: "lifeguard.yaml", baseDir: "/etc/lifeguard" };
const { valid } = configValidators(options);
const SERVICE = "services:\n  trader: { systemd: trader }\nalerts:\n";
const TOKEN = "123456789:AAFake-TelegramToken_0123456789abc";

function commandsOf(line: string, env: Record<string, string> = {}): unknown {
  const [channel] = valid(`${SERVICE}  phone: { type: telegram, token: "${TOKEN}", chat: 42${line} }\n`, env).channels;
  return channel?.type === "telegram" ? channel.commands : "not telegram";
}

function issuesOf(text: string): string[] {
  const result = validateConfig(`${SERVICE}${text}`, { ...options, env: {} });
  if (result.ok) assert.fail("expected the config to be invalid");
  return result.issues.map(formatConfigIssue);
}

test("commands are off by default; true answers the channel's own chat; a list names the chats, as numbers or text", () => {
  assert.equal(commandsOf(""), null);
  assert.equal(commandsOf(", commands: false"), null);
  assert.deepEqual(commandsOf(", commands: true"), { chats: [42] });
  assert.deepEqual(commandsOf(', commands: { chats: [7, -1001234567890, "${GROUP}"] }', { GROUP: "-100456" }), { chats: [7, -1001234567890, -100456] });
});

test("a bad allow-list is refused with what is expected, field by field", () => {
  const at = (commands: string) => issuesOf(`  phone: { type: telegram, token: "${TOKEN}", chat: 42, commands: ${commands} }\n`);
  assert.deepEqual(at("{ chats: [] }"), ["lifeguard.yaml:4:105: alerts.phone.commands.chats: expected at least one chat id; leave commands out (or false) for none"]);
  assert.deepEqual(at("{ chats: [1, 1.5] }"), ["lifeguard.yaml:4:93: alerts.phone.commands: chats[1]: expected a chat id: an integer such as 123456789, or -100... for a group, got 1.5"]);
  assert.deepEqual(at('{ chats: ["@mychannel"] }'), ['lifeguard.yaml:4:93: alerts.phone.commands: chats[0]: expected a chat id: an integer such as 123456789, or -100... for a group, got "@mychannel"']);
  assert.deepEqual(at("{ chats: [0] }"), ["lifeguard.yaml:4:93: alerts.phone.commands: chats[0]: expected a chat id: an integer such as 123456789, or -100... for a group, got 0"]);
  assert.deepEqual(at("{ chat: [1] }"), ['lifeguard.yaml:4:93: alerts.phone.commands: unknown key "chat"; did you mean "chats"?']);
  assert.deepEqual(at("yes"), ['lifeguard.yaml:4:103: alerts.phone.commands: expected true, false or { chats: [ids] }, got "yes"']);
});

test("commands: true needs a chat id in chat: a channel's @name sends no commands", () => {
  assert.deepEqual(issuesOf(`  phone: { type: telegram, token: "${TOKEN}", chat: "@alerts", commands: true }\n`), [
    'lifeguard.yaml:4:110: alerts.phone.commands: expected `chat` to be a chat id to take commands from, got "@alerts" (a channel sends no commands); list the chats instead: commands: { chats: [123456789] }',
  ]);
});

test("two channels of one bot may not both take commands (Telegram gives its updates to one reader); the message shows no token", () => {
  const issues = issuesOf([
    `  phone: { type: telegram, token: "${TOKEN}", chat: 42, commands: true }`,
    `  group: { type: telegram, token: "${TOKEN}", chat: -100456, commands: true }`,
    `  other: { type: telegram, token: "987:another-bot", chat: 42, commands: true }`,
    `  quiet: { type: telegram, token: "${TOKEN}", chat: 43 }`,
    "",
  ].join("\n"));
  assert.deepEqual(issues, [
    'lifeguard.yaml:5:108: alerts.group.commands: expected one channel per bot to take commands, got a second: channel "phone" takes this bot\'s commands already (Telegram gives its updates to one reader); list every chat in its commands: { chats: [...] }',
  ]);
  assert.ok(!issues.join("\n").includes("AAFake"));
});
