import { UNIT_VERBS, unitCommand } from "./unit-commands.js";

/** Where the sudoers drop-in goes: sudo reads every file in /etc/sudoers.d whose name has no "." and does not end in "~". */
export const SUDOERS_FILE = "/etc/sudoers.d/lifeguard";

/** Debian's `secure_path` (/etc/sudoers): where sudo finds `systemctl`, in this order. */
export const SUDO_SECURE_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] as const;

/** What a unit name is made of (systemd.unit(5): letters, digits, `:-_.\`, `@` of a template), and the path of systemctl. */
const PLAIN_WORD = /^[A-Za-z0-9_.@:\\/=-]+$/;
/** A user name sudoers reads as a user: not an alias name (`ALL`, `ADMINS`: upper case, digits, `_`), no `#` (a uid), nothing it would parse. */
const USER_NAME = /^[a-z_][a-z0-9_.-]*$/i;
const ALIAS_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * A word of a command's arguments as sudoers matches it. `:`, `=` and `,` are escaped for the
 * parser; a backslash (systemd's `\x2d`) is doubled twice: once for the parser, and once for the
 * fnmatch(3) sudo then matches the arguments with (a backslash in them makes it use fnmatch). A word
 * with anything else (a space, a quote, `*`, `#`) is refused: no unit name has it.
 */
export function sudoersWord(word: string): string {
  if (!PLAIN_WORD.test(word)) throw new TypeError(`"${word}" cannot be written in a sudoers rule: only letters, digits and ":-_.\\@/=" are`);
  return word.replace(/\\/g, "\\\\\\\\").replace(/[:=,]/g, "\\$&");
}

/**
 * The sudoers drop-in that lets `user` run, as root and without a password, exactly the command
 * lines the systemd runner runs under `privilege: sudo` (`systemctl` at `systemctl`, its absolute
 * path, then `unitCommand`) for `units`, and nothing else; `heading` are its first comment lines.
 */
export function sudoersRule(user: string, units: readonly string[], systemctl: string, heading: readonly string[] = ["Written by lifeguard doctor"]): string[] {
  if (!USER_NAME.test(user) || ALIAS_NAME.test(user)) throw new TypeError(`The user name "${user}" cannot be written in a sudoers rule: sudoers would read it as ${ALIAS_NAME.test(user) ? "an alias" : "something else"}`);
  if (!systemctl.startsWith("/")) throw new TypeError(`sudoers needs systemctl's absolute path, got "${systemctl}"`);
  return [
    ...heading.map((line) => `# ${line}`),
    `# User ${user} may run these systemctl command lines as root without a password, exactly as Lifeguard's`,
    "# runner runs them (privilege: sudo): start, stop, kill and reset the units it watches, and no other unit.",
    // sudo is run from a daemon, a timer or cron: never with a terminal.
    `Defaults:${user} !requiretty`,
    ...units.flatMap((unit) => UNIT_VERBS.map((verb) => `${user} ALL=(root) NOPASSWD: ${[systemctl, ...unitCommand(verb, unit)].map(sudoersWord).join(" ")}`)),
  ];
}
