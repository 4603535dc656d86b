import { shellWord } from "../core/cli-command.js";
import { hashComment, SUDO_NOTE } from "./layout.js";

/** The environment the cron file gives its job (cron adds HOME and LOGNAME of the user). */
export const CRON_ENVIRONMENT = { SHELL: "/bin/sh", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" } as const;

/**
 * /etc/cron.d/lifeguard: `lifeguard check` every minute as `user`, under flock so that a run still
 * going when the next minute comes is not joined by a second one. Cron hands the line to /bin/sh:
 * every word is quoted, and a value with `%` (cron's newline) or a newline is refused.
 */
export function renderCronFile(entry: { user: string; argv: readonly string[]; lock: string; output: string; sudo: boolean }, header: readonly string[]): string {
  const words = ["/usr/bin/flock", "-n", entry.lock, ...entry.argv].map((word) => {
    if (/[%\n\r]/.test(word)) throw new TypeError(`"${word}" cannot go in a crontab line: it holds a % or a newline`);
    return shellWord(word);
  });
  return `${hashComment([...header, "lifeguard check every minute (the seed's cron line); flock -n skips a minute while a run still goes.", ...(entry.sudo ? [SUDO_NOTE] : [])])}
SHELL=${CRON_ENVIRONMENT.SHELL}
PATH=${CRON_ENVIRONMENT.PATH}
* * * * * ${entry.user} ${words.join(" ")} >>${shellWord(entry.output)} 2>&1
`;
}

/** /etc/logrotate.d/lifeguard: Lifeguard's own log files, rotated weekly as their owner (`su`: the directory is not root's). */
export function renderLogrotate(files: readonly string[], owner: { user: string; group: string }, header: readonly string[]): string {
  return `${hashComment(header)}
${files.map((file) => (/\s/.test(file) ? `"${file}"` : file)).join(" ")} {
    su ${owner.user} ${owner.group}
    weekly
    rotate 4
    compress
    delaycompress
    missingok
    notifempty
    create 0640 ${owner.user} ${owner.group}
}
`;
}
