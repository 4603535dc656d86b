import { unitName } from "./unit-name.js";
import type { Problem } from "./problem.js";

/** The `journal` option of the log checks: a unit whose journal is the log, in place of `path`. */
export const journalUnit = () => unitName();

/** The log checks' options as parsed: `path` or `journal`, exactly one. */
interface LogSourceOptions {
  path?: string | undefined;
  journal?: string | undefined;
}

/** A log check names its log once: a file (`path`) or a unit's journal (`journal`). */
export function checkLogSource(parsed: object, at: Array<string | number>): Problem[] {
  // The kind map keeps only the common options' type: these two are the log checks' own.
  const options = parsed as LogSourceOptions;
  if (options.path !== undefined && options.journal !== undefined) return [{ path: [...at, "journal"], message: 'expected "path" or "journal", got both (a log is a file or a unit\'s journal)' }];
  if (options.path === undefined && options.journal === undefined) return [{ path: at, message: 'expected "path" (a log file) or "journal" (a systemd unit whose journal is the log), got neither' }];
  return [];
}
