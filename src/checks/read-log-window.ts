import { findRotatedFile } from "./find-rotated-file.js";
import { readTailLines, TAIL_MAX_SCAN_BYTES, type FileIdentity, type TailOptions, type TailResult } from "./tail-lines.js";

/** Where the window went past the current file: into its rotated file, or not (it is compressed). */
export type RotatedPart = { path: string; linesRead: number } | { path: string; unread: "compressed" | "unreadable" };

/** The last lines of a log's stream, across its latest rotation. */
export interface LogWindow extends TailResult {
  /** Set when the current file held fewer lines than asked and a rotated file precedes it. */
  rotated?: RotatedPart;
  /** The window holds fewer lines than asked because it stops at the service's start (`since`): what came before is the previous run's. */
  cutAtStart?: boolean;
}

/** Options of a window read: a tail read's, and the log as it was when Lifeguard (re)started the service. */
export interface WindowOptions extends TailOptions {
  /** The file the log's name led to at the start, and its size then (a file missing then: an identity no file has). */
  since?: FileIdentity;
}

/**
 * Reads the last `count` lines of the log's stream: the current file's tail and, when it holds
 * fewer (it was just rotated), the tail of the file its rotation left (`findRotatedFile`),
 * within one scan budget. A compressed rotated file is not read: the window then starts at the
 * rotation and says so. A file truncated while it was read (copytruncate) is read again once:
 * its old lines are in the rotated copy by then. Rejects as `readTailLines` does, for the
 * current file only: a rotated file that cannot be read is treated as a compressed one (the
 * window starts at the rotation), and says so. With `since`, no line written before the start is
 * read: the file of the start is read from its size then, and a rotated file is read only when it
 * is that file (renamed by the rotation); anything older is the previous run's.
 */
export async function readLogWindow(path: string, count: number, options: WindowOptions = {}): Promise<LogWindow> {
  const { since, ...tailOptions } = options;
  const current = await readCurrent(path, count, { ...tailOptions, ...fromStart(since) });
  if (current.lines.length >= count || current.scanCutShort) return current;
  // The file of the start, read down to where it then ended (or whole, truncated since): the lines before are the previous run's.
  if (since !== undefined && isSameFile(current.file, since)) return { ...current, cutAtStart: true };
  const rotated = await findRotatedFile(path);
  if (rotated === null) return since === undefined ? current : { ...current, cutAtStart: true };
  if (since !== undefined && rotated.compressed) return { ...current, cutAtStart: true };
  if (rotated.compressed) return { ...current, rotated: { path: rotated.path, unread: "compressed" } };
  const budget = (tailOptions.maxScanBytes ?? TAIL_MAX_SCAN_BYTES) - current.bytesScanned;
  // Since a start, only the file of the start continues the stream back; any other rotated file is older.
  const onlyStart = since === undefined ? {} : { floorOf: (file: FileIdentity) => (isSameFile(file, since) ? since.size : file.size) };
  const earlier = await readTailLines(rotated.path, count - current.lines.length, { ...tailOptions, ...onlyStart, maxScanBytes: budget }).catch(() => null);
  if (earlier === null) return since === undefined ? { ...current, rotated: { path: rotated.path, unread: "unreadable" } } : { ...current, cutAtStart: true };
  const window: LogWindow = {
    ...current,
    lines: [...earlier.lines, ...current.lines],
    bytesScanned: current.bytesScanned + earlier.bytesScanned,
    linesCut: current.linesCut + earlier.linesCut,
    scanCutShort: earlier.scanCutShort,
    shrank: current.shrank || earlier.shrank,
    rotated: { path: rotated.path, linesRead: earlier.lines.length },
  };
  return since !== undefined && window.lines.length < count ? { ...window, cutAtStart: true } : window;
}

/** The current file's tail; read again once when it was truncated meanwhile (its old lines are in the rotated copy by then). */
async function readCurrent(path: string, count: number, options: TailOptions): Promise<TailResult> {
  const current = await readTailLines(path, count, options);
  return current.shrank ? readTailLines(path, count, options) : current;
}

/** The floor of the file of the start: its size then, unless it shrank below it since (truncated: all it holds is new). */
function fromStart(since: FileIdentity | undefined): Pick<TailOptions, "floorOf"> {
  if (since === undefined) return {};
  return { floorOf: (file) => (isSameFile(file, since) && file.size >= since.size ? since.size : 0) };
}

const isSameFile = (a: FileIdentity, b: FileIdentity): boolean => a.dev === b.dev && a.ino === b.ino;
