import { EXIT, LifeguardError, UsageError } from "../../core/errors.js";
import { watchOutputHangup } from "../../process/output-hangup.js";
import type { CliIo } from "../io.js";
import { createLineSink } from "../line-sink.js";
import { chooseOwnLog, chooseServiceLogs } from "../log-sources.js";
import { findTarget, type TargetOptions } from "../find-target.js";
import { showJournal } from "../show-journal.js";
import { showLogFiles } from "../show-log-files.js";
import { withShutdownSignal } from "../shutdown-signal.js";

export interface LogsOptions extends TargetOptions {
  lines?: string;
  follow?: boolean;
  journal?: boolean;
  checkLog?: boolean;
}

/** The most `-n` takes: the tail is held in memory before it is written. */
export const MAX_LINES = 100_000;

/**
 * `lifeguard logs [NAME] [-f] [-n N]`: a service's log (log-sources.ts says which), or Lifeguard's
 * own. Exit 0 when shown, or when following ends by SIGINT, SIGTERM or the reader leaving
 * (`| head`); 1 when there is nothing to show (no such file, unreadable, no log file); 64 for a
 * usage error; a journal's, journalctl's own code.
 */
export async function runLogs(name: string | undefined, options: LogsOptions, io: CliIo): Promise<number> {
  const lines = parseLineCount(options.lines ?? "50");
  const follow = options.follow === true;
  if (name === undefined && (options.journal === true || options.checkLog === true)) {
    throw new UsageError(`Cannot use ${options.journal === true ? "--journal" : "--check-log"} without a service NAME`, "Without NAME, `lifeguard logs` shows Lifeguard's own log.");
  }
  const config = await findTarget(options, { command: "logs", ...(name === undefined ? {} : { service: name }) }, io);
  const source = name === undefined ? chooseOwnLog(config, lines, follow) : chooseServiceLogs(config, name, options);
  return withShutdownSignal(async (shutdown) => {
    if (source.kind === "journal") return showJournal({ ...source, lines, follow, signal: shutdown });
    const sink = createLineSink(io);
    const stop = new AbortController();
    const end = (): void => stop.abort();
    shutdown.addEventListener("abort", end, { once: true, signal: stop.signal });
    sink.closed.addEventListener("abort", end, { once: true, signal: stop.signal });
    // `| head` may leave while the log is quiet: seen by polling the pipe, not only at the next write.
    if (follow && io.stdoutStream?.fd !== undefined) watchOutputHangup(io.stdoutStream.fd, end, { signal: stop.signal });
    try {
      const code = await showLogFiles(source.files, { lines, follow, sink, note: io.stderr, signal: stop.signal });
      const failure = sink.closed.reason as NodeJS.ErrnoException | undefined;
      if (failure !== undefined && failure.code !== "EPIPE") throw new LifeguardError(`Cannot write to standard output: ${failure.message}`, { exitCode: EXIT.failed });
      return code;
    } finally {
      stop.abort();
    }
  });
}

function parseLineCount(text: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(count <= MAX_LINES)) throw new UsageError(`Cannot read -n "${text}": expected a whole number of lines from 0 to ${MAX_LINES}`);
  return count;
}
