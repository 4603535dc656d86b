/** Telegram's limit on a message's text (UTF-16 code units): a longer one is not Telegram's, or not a command. */
const TEXT_LIMIT = 4096;
/** Telegram user names are 5 to 32 of these; anything else is not shown (it would go into the history). */
const USERNAME = /^[A-Za-z0-9_]{1,64}$/;

/** A message as the commands need it; the text is the sender's and is never logged. */
export interface IncomingMessage {
  updateId: number;
  messageId: number;
  chatId: number;
  /** When Telegram received it (ms), or null when the update does not say. */
  sentAt: number | null;
  /** The sender: their user id and user name, each null when unknown (a channel's post, a name not set). */
  from: { id: number | null; username: string | null };
  /** Null for a message without text (a photo, a sticker, a member joining). */
  text: string | null;
}

/** One update of `getUpdates`, read: a message, or why it is none (never quoting its text). */
export type UpdateReading =
  | { kind: "message"; message: IncomingMessage }
  /** `updateId` null when not even that could be read. */
  | { kind: "malformed"; updateId: number | null; problem: string };

/**
 * Reads one update as Telegram sends it (https://core.telegram.org/bots/api#update), trusting
 * nothing: every field is checked for its type, and a text longer than Telegram allows is refused.
 */
export function readUpdate(update: unknown): UpdateReading {
  if (!isRecord(update)) return { kind: "malformed", updateId: null, problem: "it is not an object" };
  const updateId = update.update_id;
  if (!Number.isSafeInteger(updateId)) return { kind: "malformed", updateId: null, problem: "its update_id is not an integer" };
  const id = updateId as number;
  const malformed = (problem: string): UpdateReading => ({ kind: "malformed", updateId: id, problem });
  const { message } = update;
  if (message === undefined) return malformed(`it holds no message (${Object.keys(update).filter((key) => key !== "update_id").slice(0, 3).join(", ") || "nothing"})`);
  if (!isRecord(message)) return malformed("its message is not an object");
  const chat = isRecord(message.chat) ? message.chat.id : undefined;
  if (!Number.isSafeInteger(chat)) return malformed("its message has no chat id");
  if (!Number.isSafeInteger(message.message_id)) return malformed("its message has no message_id");
  const { text, date } = message;
  if (text !== undefined && typeof text !== "string") return malformed("its message's text is not a string");
  if (typeof text === "string" && text.length > TEXT_LIMIT) return malformed(`its message's text is ${text.length} characters long, more than Telegram's ${TEXT_LIMIT}`);
  const from = isRecord(message.from) ? message.from : {};
  return {
    kind: "message",
    message: {
      updateId: id,
      messageId: message.message_id as number,
      chatId: chat as number,
      sentAt: typeof date === "number" && Number.isFinite(date) ? date * 1000 : null,
      from: {
        id: Number.isSafeInteger(from.id) ? (from.id as number) : null,
        username: typeof from.username === "string" && USERNAME.test(from.username) ? from.username : null,
      },
      text: text ?? null,
    },
  };
}

/** Who sent a message, as the history records who asked: `telegram chat 42 (@jakub)`. */
export function describeSender(message: Pick<IncomingMessage, "chatId" | "from">): string {
  const { username, id } = message.from;
  const who = username !== null ? ` (@${username})` : id !== null && id !== message.chatId ? ` (user ${id})` : "";
  return `telegram chat ${message.chatId}${who}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
