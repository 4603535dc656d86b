import { z } from "zod";
import { quote } from "./messages.js";

/** systemd unit names as the config takes them: `gemini-trader` means `gemini-trader.service`. */

const UNIT_SUFFIXES = [".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope"];
const EXAMPLE = 'a systemd unit like "gemini-trader.service"';

/**
 * A unit name. It becomes an argument of `systemctl` (never a shell word), so anything that
 * could read as an option or a path is refused.
 */
export function unitName() {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `missing required key; expected ${EXAMPLE}` : undefined) })
    .check((context) => {
      const problem = unitNameProblem(context.value);
      if (problem !== undefined) context.issues.push({ code: "custom", input: context.value, message: `expected ${EXAMPLE}, got ${quote(context.value)} (${problem})` });
    });
}

/** Adds `.service` when the name has no unit type suffix. */
export function toUnitName(name: string): string {
  return UNIT_SUFFIXES.some((suffix) => name.endsWith(suffix)) ? name : `${name}.service`;
}

/** Why `name` cannot be a unit name, or undefined when it can. */
export function unitNameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name.startsWith("-")) return 'it must not start with "-"';
  if (name.includes("/")) return 'it must not contain "/"; give the unit name, not its file';
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(name)) return "it must not contain spaces or control characters";
  return undefined;
}
