import { EXIT, LifeguardError, UsageError } from "../core/errors.js";
import { didYouMean } from "../config/messages.js";
import type { LifeguardConfig, ServiceConfig } from "../config/types.js";
import { CRON_OUTPUT } from "../setup/layout.js";

/** One file `logs` shows: its path, and what it is, for messages. */
export interface LogFile {
  path: string;
  /** Its role, for messages: "output file", "log file", "watchdog log". */
  what: string;
}

/** What `logs` shows: files it reads itself, or a unit's journal through journalctl. */
export type LogSource = { kind: "files"; files: LogFile[] } | { kind: "journal"; unit: string; service: string; checkLogs: string[] };

/** Which of a service's logs to show. */
export interface SourceChoice {
  journal?: boolean;
  checkLog?: boolean;
}

/**
 * The logs of service `name`: a `command:` service's captured output (`output.file`); a
 * `systemd:` service's own log file, the one its checks watch (the seed's `gemini_trader.log`),
 * or its unit's journal when no check watches a file. `--journal` picks the journal, `--check-log`
 * the watched files. Throws a UsageError (exit 64) for a name the config does not have, listing
 * the services, or for a choice the service does not offer.
 */
export function chooseServiceLogs(config: LifeguardConfig, name: string, choice: SourceChoice): LogSource {
  const service = config.services.find((candidate) => candidate.name === name);
  if (service === undefined) {
    const names = config.services.map((candidate) => candidate.name);
    const known = names.length === 0 ? "it has none" : names.map((known) => `"${known}"`).join(", ");
    throw new UsageError(`Cannot show the logs of "${name}" as the configuration has no such service: ${known}${didYouMean(name, names)}`);
  }
  const checkLogs = watchedFiles(service);
  const { runner } = service;
  if (choice.journal === true && runner.kind !== "systemd") {
    throw new UsageError(`Cannot use --journal for "${name}" as it is not a systemd: service`, `"lifeguard logs ${name}" shows the output Lifeguard captured from it.`);
  }
  if (choice.checkLog === true && checkLogs.length === 0) {
    throw new UsageError(`Cannot use --check-log for "${name}" as none of its checks watches a log file`, `"lifeguard logs ${name}" shows its ${runner.kind === "systemd" ? "unit's journal" : "captured output"}.`);
  }
  const watched: LogSource = { kind: "files", files: checkLogs.map((path) => ({ path, what: "log file" })) };
  if (choice.checkLog === true) return watched;
  switch (runner.kind) {
    case "systemd":
      return checkLogs.length > 0 && choice.journal !== true ? watched : { kind: "journal", unit: runner.unit, service: name, checkLogs };
    case "process":
      return { kind: "files", files: [{ path: runner.output.file, what: "output file" }] };
    default:
      // A new runner kind must say where its service's output goes.
      return runner satisfies never;
  }
}

/**
 * The files the service's checks read as its log: every check with a `path` option (`log-fresh`,
 * `log-activity`), found by the option rather than by kind, so a new log check is shown too.
 * A heartbeat's `file` is touched, never written to, and is no log.
 */
function watchedFiles(service: ServiceConfig): string[] {
  const paths = service.checks.flatMap((check) => ("path" in check && typeof check.path === "string" ? [check.path] : []));
  return [...new Set(paths)];
}

/**
 * Lifeguard's own log: `log.file`. Without one Lifeguard logs to standard output, which only
 * whoever started it sees: the error says where that is, with the journalctl command that
 * shows it under systemd (the units of examples/systemd/) as it would be run (exit 1).
 */
export function chooseOwnLog(config: LifeguardConfig, lines: number, follow: boolean): LogSource {
  if (config.log.file !== null) return { kind: "files", files: [{ path: config.log.file, what: "watchdog log" }] };
  const journal = (unit: string): string => `"journalctl -u ${unit} -n ${lines}${follow ? " -f" : ""}"`;
  throw new LifeguardError(`Cannot show Lifeguard's log as "${config.source}" sets no log file: Lifeguard writes its log to standard output`, {
    exitCode: EXIT.failed,
    hint: `Under systemd that is the journal: ${journal("lifeguard")} for the daemon (lifeguard.service), ${journal("lifeguard-check")} ` +
      `for the timer (lifeguard-check.service); the cron job of \`lifeguard install --cron\` appends it to ${CRON_OUTPUT} (another cron line: cron mails it). ` +
      "To keep it in a file, set `log: { file: /var/log/lifeguard/lifeguard.log }`.",
  });
}
