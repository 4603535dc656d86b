import { z } from "zod";
import { defineChannelKind } from "./channel-kind.js";
import { secretText, text } from "./fields.js";
import { httpBaseUrl } from "./http-url.js";

/** `type: telegram`: the Bot API's `sendMessage` to one chat. */
export const telegramChannel = defineChannelKind({
  type: "telegram",
  description: "Telegram: a bot sends each alert to a chat (docs/alerts/telegram.md).",
  defaultTimeout: "10s",
  shape: {
    token: secretText("The bot's token from @BotFather. A secret: write `${TELEGRAM_BOT_TOKEN}` or `${file:/path}` to keep it out of the file."),
    chat: z.union([text(), z.int()]).transform(String).describe("The chat to write to: its id (`123456789`, `-100...` for a group or channel) or `@channelname`."),
    api: httpBaseUrl().prefault("https://api.telegram.org").describe("Base URL of the Bot API; change it for a self-hosted Bot API server."),
  },
  normalise: (options) => ({
    /** The bot's token (a secret: it is part of every request URL). */
    token: options.token,
    /** Chat id (`123456789`, `-100...` for a group) or `@channelname`. */
    chat: options.chat,
    /** Base URL of the Bot API, without a trailing slash: `https://api.telegram.org` or a self-hosted server. */
    api: options.api,
  }),
});
