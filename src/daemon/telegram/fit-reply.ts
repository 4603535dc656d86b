import { TELEGRAM_TEXT_LIMIT } from "../../notify/channels/telegram.js";
import { ellipsis, fitText } from "../../notify/fit-text.js";

/** Telegram refuses a longer message: a reply is cut at a whole character, saying how much is missing. */
export function fitReply(text: string): string {
  return fitText(text, { limit: TELEGRAM_TEXT_LIMIT, marker: (count) => `\n… (cut: ${count} more characters)` }).text;
}

/**
 * One line, cut short: a phone shows a list, not an essay. Line breaks and control characters
 * become spaces: a sender's words may go into the log and the history, where they must stay one line.
 */
export function fitLine(text: string, limit: number): string {
  return fitText(text.replace(/[\s\p{Cc}]+/gu, " "), { limit, marker: ellipsis }).text;
}
