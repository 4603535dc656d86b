import { TELEGRAM_TEXT_LIMIT } from "../../notify/channels/telegram.js";
import { ellipsis, fitText } from "../../notify/fit-text.js";

/** Telegram refuses a longer message: a reply is cut at a whole character, saying how much is missing. */
export function fitReply(text: string): string {
  return fitText(text, { limit: TELEGRAM_TEXT_LIMIT, marker: (count) => `\n… (cut: ${count} more characters)` }).text;
}

/** One line of a reply, cut short: a phone shows a list, not an essay. */
export function fitLine(text: string, limit: number): string {
  return fitText(text.replace(/\s+/g, " "), { limit, marker: ellipsis }).text;
}
