/** A command as typed: `/pause@lifeguard_bot trader 1h deploy` → `pause`, `["trader", "1h", "deploy"]`. */
export interface ParsedCommand {
  /** Lower case, without the slash and the bot's name. */
  name: string;
  args: string[];
}

/** `/name` or `/name@bot`: Telegram's commands are 1 to 32 letters, digits and underscores. */
const HEAD = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?$/;

/**
 * Reads a message's text as a command. Null when it is none: text that does not start with `/`
 * (talk in a group), or a command addressed to another bot (`/status@other_bot`: in a group with
 * two Lifeguards, each answers its own). `bot` is this bot's user name, null when not known.
 * A head that is no valid command name (`/`, `/what?`) is kept as it is, to be answered as unknown.
 */
export function parseCommand(text: string, bot: string | null): ParsedCommand | null {
  const [head = "", ...args] = text.trim().split(/\s+/);
  if (!head.startsWith("/")) return null;
  const match = HEAD.exec(head);
  if (match === null) return { name: head.slice(1).toLowerCase(), args };
  const addressee = match[2];
  if (addressee !== undefined && bot !== null && addressee.toLowerCase() !== bot.toLowerCase()) return null;
  return { name: (match[1] ?? "").toLowerCase(), args };
}
