import type { CliIo } from "./io.js";

/** How a piece of terminal output is set off: a colour, and whether it is to be seen first. */
export type Style = "ok" | "warn" | "bad" | "held" | "quiet" | "heading";

const SGR: Record<Style, string> = { ok: "32", warn: "33", bad: "1;31", held: "36", quiet: "2", heading: "1" };

/**
 * Colours only for a person at a terminal: never when `NO_COLOR` is set (no-color.org), nor for
 * `TERM=dumb`; `FORCE_COLOR` (other than `0`) asks for them even in a pipe; else only when
 * stdout is a terminal, so that a script or a file gets plain text.
 */
export function colourEnabled(io: Pick<CliIo, "env" | "isTty">): boolean {
  const { NO_COLOR: noColour, FORCE_COLOR: force, TERM: term } = io.env;
  if (noColour !== undefined && noColour !== "") return false;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (term === "dumb") return false;
  return io.isTty === true;
}

/** `text` in `style` when colours are on; as it is otherwise. */
export function paint(text: string, style: Style | null, enabled: boolean): string {
  return enabled && style !== null && text !== "" ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text;
}
