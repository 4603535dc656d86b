import type { Finding } from "./probe.js";

/** The error `read(2)` gives for a directory, raised before reading: opening one succeeds on Linux. */
export function createDirectoryError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), { code: "EISDIR", errno: -21, syscall: "open", path });
}

/** Summaries by errno; `what` is the file's role, e.g. "log file" or "heartbeat file". */
const SUMMARIES: Record<string, (what: string, path: string) => string> = {
  ENOENT: (what, path) => `${capitalise(what)} "${path}" does not exist`,
  ENOTDIR: (what, path) => `${capitalise(what)} "${path}" does not exist`,
  EACCES: (what, path) => `Cannot read ${what} "${path}" as permission was denied`,
  EPERM: (what, path) => `Cannot read ${what} "${path}" as permission was denied`,
  EISDIR: (what, path) => `${capitalise(what)} "${path}" is a directory`,
};

/**
 * Errors that say Lifeguard cannot look, not that the service misbehaves: permission denied (on
 * the file or on a directory above it), a failing disk, a stale or vanished mount, a link loop.
 * A missing file (ENOENT) is not one: a bot that never wrote its log, or lost it, is failing.
 */
const UNOBSERVABLE = new Set(["EACCES", "EPERM", "EIO", "ELOOP", "ESTALE", "ENOTCONN", "EHOSTDOWN"]);

/**
 * Turns the error of stat-ing, opening or reading a watched file into a failed finding; shared
 * by every check that looks at a file, so a missing file reads the same everywhere. `what` names
 * the file's role in the summary: "log file" by default, "heartbeat file".
 */
export function describeLogFileError(path: string, error: unknown, what = "log file"): Finding {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const summarise = code === undefined ? undefined : SUMMARIES[code];
  return {
    ok: false,
    summary: summarise === undefined ? `Cannot read ${what} "${path}": ${message}` : summarise(what, path),
    evidence: { path, ...(code === undefined ? {} : { code }) },
    cause: message,
    ...(code !== undefined && UNOBSERVABLE.has(code) ? { unobservable: true } : {}),
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
