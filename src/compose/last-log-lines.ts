import type { ServiceConfig } from "../config/types.js";
import type { LogTail } from "../engine/service-parts.js";
import { readTailLines } from "../checks/tail-lines.js";
import { shortenLine } from "../checks/shorten-line.js";
import { readJournal } from "../process/read-journal.js";

/** Lines of the service's log kept in a capture before a hang's stop. */
const LINES_KEPT = 10;

/**
 * How to read the last lines of service `service`'s own log for a capture before a hang's stop:
 * the file its checks watch (the bot's log), else the output a `command:` service writes, else the
 * journal its checks watch or its unit's. Each line is shortened as evidence keeps lines; the read
 * is bounded by `timeoutMs` and never throws (a log that cannot be read says why).
 */
export function lastLogLines(service: ServiceConfig): (signal: AbortSignal, timeoutMs: number) => Promise<LogTail> {
  const path = service.checks.flatMap((check) => ("path" in check && typeof check.path === "string" ? [check.path] : []))[0] ?? (service.runner.kind === "process" ? service.runner.output.file : null);
  const journal = service.checks.flatMap((check) => ("journal" in check && typeof check.journal === "string" ? [check.journal] : []))[0] ?? (service.runner.kind === "systemd" ? service.runner.unit : null);
  if (path !== null) {
    return async (signal, timeoutMs) => {
      try {
        const tail = await readTailLines(path, LINES_KEPT, { signal: AbortSignal.any([signal, AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)))]) });
        return { source: path, lines: tail.lines.map((line) => shortenLine(line)) };
      } catch (error) {
        return { source: path, lines: [], problem: (error as NodeJS.ErrnoException).code ?? String(error) };
      }
    };
  }
  return async (signal, timeoutMs) => {
    const read = await readJournal({ unit: journal ?? service.name, count: LINES_KEPT, timeoutMs, signal });
    const source = `journal of ${journal ?? service.name}`;
    return read.ok ? { source, lines: read.entries.map((entry) => shortenLine(entry.message)) } : { source, lines: [], problem: read.problem };
  };
}
