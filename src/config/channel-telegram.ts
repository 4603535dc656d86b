import { z } from "zod";
import { defineChannelKind } from "./channel-kind.js";
import { secretText, text } from "./fields.js";
import { httpBaseUrl } from "./http-url.js";
import { describeValue, didYouMean, quote } from "./messages.js";

const CHAT_ID_EXAMPLE = "a chat id: an integer such as 123456789, or -100... for a group";

/** A chat id as Telegram gives it: an integer (negative for a group), written as a number or as text (`${TELEGRAM_CHAT_ID}`). */
function chatId() {
  return z.union([z.number(), z.string()], { error: (issue) => `expected ${CHAT_ID_EXAMPLE}, got ${describeValue(issue.input)}` }).transform((value, context) => {
    const id = typeof value === "number" ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(id) || id === 0) context.issues.push({ code: "custom", input: value, message: `expected ${CHAT_ID_EXAMPLE}, got ${describeValue(value)}` });
    return id;
  });
}

const chatsMap = z.strictObject({
  chats: z.array(chatId()).min(1, "expected at least one chat id; leave commands out (or false) for none").describe("The chats whose messages are taken as commands; every other chat is ignored."),
});

const commandsOption = z
  .union([z.boolean(), chatsMap], { error: (issue) => commandsProblem(issue.input, issue.code === "invalid_union" ? issue.errors[1] : undefined) })
  .default(false)
  .describe("Answer commands (`/status`, `/restart NAME`...) sent to the bot: `true` from `chat`, or `{ chats: [123456789, -100...] }` from those chats only. Off by default. Anyone who can write in an allowed chat can restart services (docs/alerts/telegram.md).");

/** `type: telegram`: the Bot API's `sendMessage` to one chat. */
export const telegramChannel = defineChannelKind({
  type: "telegram",
  description: "Telegram: a bot sends each alert to a chat (docs/alerts/telegram.md).",
  defaultTimeout: "10s",
  shape: {
    token: secretText("The bot's token from @BotFather. A secret: write `${TELEGRAM_BOT_TOKEN}` or `${file:/path}` to keep it out of the file."),
    chat: z.union([text(), z.int()]).transform(String).describe("The chat to write to: its id (`123456789`, `-100...` for a group or channel) or `@channelname`."),
    api: httpBaseUrl().prefault("https://api.telegram.org").describe("Base URL of the Bot API; change it for a self-hosted Bot API server."),
    commands: commandsOption,
  },
  rules: (options) => (options.commands === true && chatIdOf(options.chat) === null
    ? [{ path: ["commands"], message: `expected \`chat\` to be a chat id to take commands from, got ${quote(options.chat)} (a channel sends no commands); list the chats instead: commands: { chats: [123456789] }` }]
    : []),
  normalise: (options) => ({
    /** The bot's token (a secret: it is part of every request URL). */
    token: options.token,
    /** Chat id (`123456789`, `-100...` for a group) or `@channelname`. */
    chat: options.chat,
    /** Base URL of the Bot API, without a trailing slash: `https://api.telegram.org` or a self-hosted server. */
    api: options.api,
    /** The chats whose commands `lifeguard run` answers (long polling `getUpdates`); null: commands are off. */
    commands: options.commands === false ? null : { chats: options.commands === true ? [chatIdOf(options.chat) ?? 0] : options.commands.chats },
  }),
});

/** `chat` as a chat id; null for `@channelname`. */
function chatIdOf(chat: string): number | null {
  return /^-?\d+$/.test(chat) && Number.isSafeInteger(Number(chat)) ? Number(chat) : null;
}

/** A union hides its options' problems: a map is judged as `{ chats }`, and its first problem named where it is. */
function commandsProblem(input: unknown, asMap: readonly z.core.$ZodIssue[] | undefined): string {
  // A misspelt key also makes `chats` missing: the misspelling is the news.
  const first = asMap?.find((issue) => issue.code === "unrecognized_keys") ?? asMap?.[0];
  if (typeof input !== "object" || input === null || Array.isArray(input) || first === undefined) return `expected true, false or { chats: [ids] }, got ${describeValue(input)}`;
  if (first.code === "unrecognized_keys") return `unknown key ${quote(first.keys[0] ?? "")}${didYouMean(first.keys[0] ?? "", ["chats"]) || " (known: chats)"}`;
  const where = first.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
  return `${where === "" ? "" : `${where.slice(where.startsWith(".") ? 1 : 0)}: `}${first.message}`;
}
