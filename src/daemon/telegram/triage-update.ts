import { parseCommand, type ParsedCommand } from "./parse-command.js";
import { readUpdate, type IncomingMessage } from "./read-update.js";

/** What to do with one update. Each carries its `updateId` (null when unreadable), which the offset moves past. */
export type Triage =
  /** A command from an allowed chat: carry it out and answer. */
  | { kind: "command"; updateId: number; message: IncomingMessage; command: ParsedCommand }
  /** A message from a chat not on the allow-list: nothing is answered, nothing is done. */
  | { kind: "stranger"; updateId: number; chatId: number }
  /** Not a message Lifeguard can read: skipped, and logged. */
  | { kind: "malformed"; updateId: number | null; problem: string }
  /** An allowed chat's message that is no command for this bot (talk in a group, a photo, another bot's command). */
  | { kind: "ignored"; updateId: number };

/**
 * Sorts an update: only a message from a chat on the allow-list can be a command, and only text
 * starting with `/` that is not addressed to another bot is one. `bot` is this bot's user name.
 */
export function triageUpdate(update: unknown, allowed: ReadonlySet<number>, bot: string | null): Triage {
  const reading = readUpdate(update);
  if (reading.kind === "malformed") return reading;
  const { message } = reading;
  const { updateId } = message;
  if (!allowed.has(message.chatId)) return { kind: "stranger", updateId, chatId: message.chatId };
  const command = message.text === null ? null : parseCommand(message.text, bot);
  return command === null ? { kind: "ignored", updateId } : { kind: "command", updateId, message, command };
}
