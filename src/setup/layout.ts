/** Where `lifeguard install` puts things on the box, and the names it gives them. */
export const UNIT_DIR = "/etc/systemd/system";
export { CRON_FILE, DAEMON_UNIT, TIMER_UNIT } from "../core/doctor/judge-units.js";
export { POLKIT_RULE_FILE } from "../core/polkit-rule.js";
/** The group whose members read every unit's journal (a `journal:` log source needs it). */
export { JOURNAL_GROUP } from "../core/doctor/judge-journal.js";
import { SUDOERS_FILE } from "../core/sudoers-rule.js";

export { SUDOERS_FILE };
export const CHECK_UNIT = "lifeguard-check.service";
export const LOGROTATE_FILE = "/etc/logrotate.d/lifeguard";
/** The user `--user` defaults to, created as a system user when missing. */
export const DEFAULT_USER = "lifeguard";
/** Lifeguard's own log directory when the config names no log file (cron's output goes there). */
export const DEFAULT_LOG_DIR = "/var/log/lifeguard";
/** Where the cron job appends `lifeguard check`'s output when the config names no log file. */
export const CRON_OUTPUT = `${DEFAULT_LOG_DIR}/lifeguard.log`;
/** systemd restarts a Lifeguard daemon whose pings stop for this long. */
export const WATCHDOG_SEC = 30;

/** How Lifeguard runs: the daemon, a timer every minute, or cron every minute (the seed's way). */
export type InstallMode = "daemon" | "timer" | "cron";

/** Said in the header of each file that runs Lifeguard under `privilege: sudo`. */
export const SUDO_NOTE = `privilege: sudo: Lifeguard runs \`sudo -n systemctl\` for each call that changes a unit, as ${SUDOERS_FILE} allows.`;

/** What every file `install` writes starts with (in the file's own comment syntax). */
export function headerLines(command: string, version: string): string[] {
  return [
    `Written by \`${command}\` (Lifeguard ${version}).`,
    "`lifeguard uninstall` removes it; a copy edited by hand is not overwritten without --force.",
  ];
}

export const hashComment = (lines: readonly string[]): string => lines.map((line) => `# ${line}`).join("\n");
