import { dirname, join } from "node:path/posix";

/** Where secrets are kept for the configuration in /etc/lifeguard (`lifeguard init` puts them there). */
export const SYSTEM_ENV_FILE = "/etc/lifeguard/env";
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The environment files of a configuration (absolute path), in the order they are read, a later
 * one winning: `/etc/lifeguard/env`, then `lifeguard.env` beside the file when it lives elsewhere.
 * Lifeguard's units load them (`EnvironmentFile=-`), and so does the CLI for a variable not set.
 */
export function environmentFilesOf(configPath: string): string[] {
  const dir = dirname(configPath);
  return [SYSTEM_ENV_FILE, ...(dir === dirname(SYSTEM_ENV_FILE) ? [] : [join(dir, "lifeguard.env")])];
}

/**
 * The variables of an environment file as systemd reads it (systemd.exec(5), EnvironmentFile=):
 * `NAME=value` lines, `#` and `;` comment lines, whitespace around the value dropped; an unquoted
 * value takes `\` escapes and a `\` at the end of a line continues it; `'...'` is verbatim;
 * `"..."` takes `\"`, `\\`, `` \` `` and `\$`. A line without `=` or with a bad name is skipped.
 * No `$` is expanded. Pure.
 */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  let at = 0;
  while (at < text.length) {
    const lineEnd = text.indexOf("\n", at) === -1 ? text.length : text.indexOf("\n", at);
    const start = text.slice(at, lineEnd).search(/\S/);
    const equals = text.indexOf("=", at);
    if (start === -1 || /[#;]/.test(text.charAt(at + start)) || equals === -1 || equals > lineEnd) {
      at = lineEnd + 1;
      continue;
    }
    const name = text.slice(at, equals).trim();
    const { value, end } = readValue(text, equals + 1);
    if (NAME.test(name)) variables[name] = value;
    at = end + 1;
  }
  return variables;
}

/** The value from `from` to the end of its (possibly continued) line; `end`: the index of that line's end. */
function readValue(text: string, from: number): { value: string; end: number } {
  let value = "";
  // Up to here the value is quoted or escaped: never trimmed.
  let kept = 0;
  let at = from;
  while (at < text.length && (text[at] === " " || text[at] === "\t")) at += 1;
  while (at < text.length && text[at] !== "\n") {
    const char = text.charAt(at);
    const next = text.charAt(at + 1);
    if (char === "\\") {
      if (next !== "\n") value += next;
      at += 2;
      kept = value.length;
    } else if (char === "'" || char === '"') {
      const quoted = readQuoted(text, at + 1, char);
      value += quoted.value;
      kept = value.length;
      at = quoted.end + 1;
    } else {
      value += char;
      at += 1;
    }
  }
  return { value: value.slice(0, kept) + value.slice(kept).replace(/[ \t\r]+$/, ""), end: at };
}

/** A quoted part, from after its opening quote: its text, and the index of its closing quote (or the end). */
function readQuoted(text: string, from: number, quote: "'" | '"'): { value: string; end: number } {
  let value = "";
  let at = from;
  while (at < text.length && text[at] !== quote) {
    const next = text.charAt(at + 1);
    if (quote === '"' && text[at] === "\\" && next === "\n") at += 2;
    else if (quote === '"' && text[at] === "\\" && '"\\`$'.includes(next) && next !== "") {
      value += next;
      at += 2;
    } else {
      value += text.charAt(at);
      at += 1;
    }
  }
  return { value, end: at };
}
