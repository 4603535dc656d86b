/** What a POSIX shell takes literally in a bare word: anything else is quoted. */
const BARE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word as a user would type it into a shell: bare when that is safe, else in single quotes. */
export function shellWord(word: string): string {
  return BARE_WORD.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * A `lifeguard` command line as Lifeguard advises it (`lifeguard reset trader -c /srv/bot/lifeguard.yaml`):
 * every word quoted for the shell, so that the line works when copied and run as printed.
 */
export function lifeguardCommand(args: readonly string[]): string {
  return ["lifeguard", ...args].map(shellWord).join(" ");
}

/**
 * A `lifeguard` command line that needs root, as typed where the advice is read: bare in a root
 * shell, else with `sudo` (also under `sudo lifeguard ...`, typed in a user's shell).
 */
export function adminLifeguardCommand(args: readonly string[], rootShell: boolean): string {
  return rootShell ? lifeguardCommand(args) : `sudo ${lifeguardCommand(args)}`;
}
