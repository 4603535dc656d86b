import { shellWord } from "../core/cli-command.js";
import { hashComment, SUDO_NOTE } from "./layout.js";

/**
 * Loads each environment file named before `--` that exists (NAME=value lines, as `set -a && . FILE`
 * reads them), then runs what follows `--`: the files are arguments, never part of the script.
 */
const LOAD_ENVIRONMENT = 'set -a; while [ "$1" != -- ]; do if [ -r "$1" ]; then . "$1"; fi; shift; done; shift; set +a; exec "$@"';

/** What the cron line runs (under flock): `argv`, with the secrets' files loaded first when there are any. */
export function cronCommand(argv: readonly string[], environmentFiles: readonly string[]): string[] {
  return environmentFiles.length === 0 ? [...argv] : ["/bin/sh", "-c", LOAD_ENVIRONMENT, "lifeguard-env", ...environmentFiles, "--", ...argv];
}

/** The environment the cron file gives its job (cron adds HOME and LOGNAME of the user). */
export const CRON_ENVIRONMENT = { SHELL: "/bin/sh", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" } as const;

/**
 * /etc/cron.d/lifeguard: `lifeguard check` every minute as `user`, under flock so that a run still
 * going when the next minute comes is not joined by a second one. Cron hands the line to /bin/sh:
 * every word is quoted, and a value with `%` (cron's newline) or a newline is refused.
 */
export function renderCronFile(entry: { user: string; argv: readonly string[]; lock: string; output: string; sudo: boolean; environmentFiles: readonly string[] }, header: readonly string[]): string {
  const words = ["/usr/bin/flock", "-n", entry.lock, ...cronCommand(entry.argv, entry.environmentFiles)].map((word) => {
    if (/[%\n\r]/.test(word)) throw new TypeError(`"${word}" cannot go in a crontab line: it holds a % or a newline`);
    return shellWord(word);
  });
  const secrets = entry.environmentFiles.length === 0 ? [] : [`The secrets the config refers to come from ${entry.environmentFiles.join(" and ")} (each when it exists), as the units' EnvironmentFile=.`];
  return `${hashComment([...header, "lifeguard check every minute (the seed's cron line); flock -n skips a minute while a run still goes.", ...secrets, ...(entry.sudo ? [SUDO_NOTE] : [])])}
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
