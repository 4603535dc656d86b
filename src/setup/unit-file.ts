/**
 * Writing values into systemd unit files (systemd.syntax(7), systemd.service(5) "Command lines").
 * Pure. A value that cannot be written safely (a newline, a NUL) is refused, never mangled.
 */

/** Characters that make systemd split or interpret a word of a command line. */
const NEEDS_QUOTES = /[\s"'\\;]|^$/;
/** The first character of ExecStart='s program that systemd reads as a prefix (`-`, `@`, `+`, `!`, `:`). */
const EXEC_PREFIX = /^[-@+!:]/;

/** Throws when `value` holds what no unit file line can: a newline or a NUL. */
export function assertOneLine(what: string, value: string): string {
  if (/[\n\r\0]/.test(value)) throw new TypeError(`${what} cannot go in a unit file: it holds a newline or a NUL (${JSON.stringify(value)})`);
  return value;
}

/** A word of a command line: `%` and `$` taken literally, quoted when it has spaces or quotes. */
export function commandWord(word: string): string {
  assertOneLine("A command-line argument", word);
  const literal = word.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  return NEEDS_QUOTES.test(literal) ? `"${literal.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : literal;
}

/** `ExecStart=`'s value for `argv`: each word quoted as needed, none expanded by systemd. */
export function commandLineValue(argv: readonly string[]): string {
  const [program = ""] = argv;
  if (program === "") throw new TypeError("A command line needs a program");
  if (EXEC_PREFIX.test(program)) throw new TypeError(`The program "${program}" starts with a character systemd reads as a prefix: give its path`);
  return argv.map(commandWord).join(" ");
}

/** `Environment="NAME=value"`: the assignment quoted, `%` taken literally. */
export function environmentLine(name: string, value: string): string {
  assertOneLine(`The variable ${name}`, value);
  return `Environment="${`${name}=${value}`.replace(/%/g, "%%").replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A path setting's value (`WorkingDirectory=`, `ReadWritePaths=`): `%` taken literally, quoted when it has spaces. */
export function pathValue(path: string): string {
  assertOneLine("A path", path);
  if (!path.startsWith("/")) throw new TypeError(`"${path}" is not an absolute path`);
  const literal = path.replace(/%/g, "%%");
  return /[\s"\\]/.test(literal) ? `"${literal.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : literal;
}

/** Seconds for a `…Sec=` setting, from ms: whole seconds, or ms when below one. */
export function secondsValue(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A unit file from its sections, in order; lines of null are left out. */
export function unitFile(header: string, sections: ReadonlyArray<readonly [string, ReadonlyArray<string | null>]>): string {
  const body = sections.map(([name, lines]) => [`[${name}]`, ...lines.filter((line): line is string => line !== null)].join("\n"));
  return `${header}\n${body.join("\n\n")}\n`;
}

/**
 * The two unit files say the same to systemd: they differ at most in comment lines (`#`, `;`),
 * such as the header naming Lifeguard's version. Restarting a unit for such a change is needless.
 */
export function sameSettings(a: string, b: string): boolean {
  const settings = (text: string): string[] => text.split("\n").filter((line) => !/^\s*[#;]/.test(line));
  return settings(a).join("\n") === settings(b).join("\n");
}
