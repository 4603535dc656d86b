import { constants } from "node:os";
import { EXIT, LifeguardError } from "../core/errors.js";
import { formatDuration } from "../core/duration.js";
import { runCommand } from "../process/run-command.js";

/** Bound on journalctl when it is not following: a journal on a slow SD card still answers `-n 50` in seconds. */
export const JOURNAL_TIMEOUT_MS = 60_000;

export interface JournalRequest {
  unit: string;
  service: string;
  lines: number;
  follow: boolean;
  /** Files the service's checks watch, offered instead when journalctl is missing. */
  checkLogs: readonly string[];
  /** Ends following (SIGINT, SIGTERM): journalctl gets SIGTERM. */
  signal: AbortSignal;
}

/** journalctl's argv: the unit's last lines, oldest first, with ISO times, no pager (the output may be a pipe or a terminal). */
export function journalArgv(unit: string, lines: number, follow: boolean): string[] {
  return ["journalctl", "-u", unit, "-n", String(lines), ...(follow ? ["-f"] : []), "--no-pager", "-o", "short-iso"];
}

/**
 * Shows a unit's journal by running journalctl (argv, never a shell) with Lifeguard's own stdout
 * and stderr, bounded by JOURNAL_TIMEOUT_MS unless following. Resolves to journalctl's exit code;
 * one it was killed by is 128 + the signal's number, but SIGPIPE (the reader of `| head` left)
 * and a stop Lifeguard asked for are a clean end, 0. Throws exit 1 when journalctl cannot be run.
 */
export async function showJournal(request: JournalRequest): Promise<number> {
  const argv = journalArgv(request.unit, request.lines, request.follow);
  const result = await runCommand(argv, { timeoutMs: request.follow ? Number.POSITIVE_INFINITY : JOURNAL_TIMEOUT_MS, signal: request.signal, passOutput: true });
  if (result.aborted || result.signal === "SIGPIPE") return EXIT.healthy;
  if (result.errorCode === "ENOENT") {
    const instead = request.checkLogs.length > 0 ? ` or "lifeguard logs ${request.service} --check-log" for the log file its checks watch` : "";
    throw new LifeguardError(`Cannot show the journal of unit "${request.unit}" as "journalctl" was not found`, {
      exitCode: EXIT.failed,
      hint: `Install systemd's journalctl (Debian package "systemd")${instead}.`,
    });
  }
  if (result.timedOut) {
    throw new LifeguardError(`Cannot show the journal of unit "${request.unit}" as "journalctl" did not finish within ${formatDuration(JOURNAL_TIMEOUT_MS)}`, { exitCode: EXIT.failed });
  }
  if (result.errorCode !== null) throw new LifeguardError(`${result.summary}`, { exitCode: EXIT.failed });
  if (result.signal !== null) return 128 + (constants.signals[result.signal] ?? 0);
  return result.exitCode ?? EXIT.failed;
}
