import type { Finding } from "./probe.js";

/** The error `read(2)` gives for a directory, raised before reading: opening one succeeds on Linux. */
export function createDirectoryError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), { code: "EISDIR", errno: -21, syscall: "open", path });
}

const SUMMARIES: Record<string, (path: string) => string> = {
  ENOENT: (path) => `Log file "${path}" does not exist`,
  ENOTDIR: (path) => `Log file "${path}" does not exist`,
  EACCES: (path) => `Cannot read log file "${path}" as permission was denied`,
  EPERM: (path) => `Cannot read log file "${path}" as permission was denied`,
  EISDIR: (path) => `Log file "${path}" is a directory`,
};

/**
 * Turns the error of stat-ing, opening or reading a log file into a failed finding; shared by
 * every check that looks at a log, so a missing file reads the same everywhere.
 */
export function describeLogFileError(path: string, error: unknown): Finding {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const summarise = code === undefined ? undefined : SUMMARIES[code];
  return {
    ok: false,
    summary: summarise === undefined ? `Cannot read log file "${path}": ${message}` : summarise(path),
    evidence: { path, ...(code === undefined ? {} : { code }) },
    cause: message,
  };
}
