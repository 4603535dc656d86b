import { parse } from "yaml";
import { z } from "zod";
import { text } from "./fields.js";
import { describeValue, quote } from "./messages.js";

/** A supervised service's command as the config takes it: a list, the program then its arguments. No shell ever reads it. */

const EXAMPLE = "command: [python3, main.py]";
/** Longest command line shown as a service's target (`lifeguard status`), beyond which it is shortened. */
const TARGET_MAX_CHARS = 40;
/** A word YAML reads back unchanged as a plain scalar inside a flow list `[a, b]`. */
const PLAIN_WORD = /^[A-Za-z0-9_./=+-][A-Za-z0-9_./=+@%-]*$/;
/** A string that means something to a shell: quoting, escapes, variables, pipes, redirection. */
const SHELL_SYNTAX = /["'\\$`|&;<>(){}*?~]/;

/** `[python3, main.py]`: a non-empty list of strings, the program first. A string gets a hint to write a list. */
export function commandLine() {
  return z
    .array(text(), { error: (issue) => (issue.code === "invalid_type" ? typeMessage(issue.input) : undefined) })
    .check((context) => {
      const program = context.value[0];
      if (program === undefined) context.issues.push({ code: "custom", input: context.value, message: `expected the program and its arguments, got an empty list (e.g. ${EXAMPLE})` });
      else if (program.trim() === "") context.issues.push({ code: "custom", input: program, path: [0], message: `expected the program to run, got ${quote(program)}` });
    })
    .meta({ minItems: 1 });
}

/** The command line for people (`lifeguard status`): arguments with spaces or quotes quoted, shortened past 40 characters. */
export function describeCommand(argv: readonly string[]): string {
  const line = argv.map((arg) => (/^[^\s"'\\]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ");
  return line.length > TARGET_MAX_CHARS ? `${line.slice(0, TARGET_MAX_CHARS - 3)}...` : line;
}

function typeMessage(input: unknown): string {
  const expected = "expected a list of the program and its arguments";
  if (typeof input !== "string") return `${expected}, got ${describeValue(input)} (e.g. ${EXAMPLE})`;
  const suggestion = suggestList(input);
  const write = suggestion === undefined ? `write it as a list, e.g. ${EXAMPLE}` : `write it as a list: command: ${suggestion}`;
  return `${expected}, got the string ${quote(input)}; ${write} (Lifeguard runs no shell)`;
}

/** `python3 main.py --fast` as `[python3, main.py, --fast]`; undefined when the string holds shell syntax that splitting would get wrong. */
function suggestList(line: string): string | undefined {
  const words = line.trim().split(/\s+/).filter((word) => word !== "");
  if (words.length === 0 || SHELL_SYNTAX.test(line)) return undefined;
  return `[${words.map((word) => (readsBackAs(word) ? word : JSON.stringify(word))).join(", ")}]`;
}

/** True when YAML reads the plain word as that very string (not `30`, `true`, `null`). */
function readsBackAs(word: string): boolean {
  if (!PLAIN_WORD.test(word)) return false;
  try {
    return parse(word, { logLevel: "silent" }) === word;
  } catch {
    return false;
  }
}
