import { findRotatedFile } from "./find-rotated-file.js";
import { readTailLines, TAIL_MAX_SCAN_BYTES, type TailOptions, type TailResult } from "./tail-lines.js";

/** Where the window went past the current file: into its rotated file, or not (it is compressed). */
export type RotatedPart = { path: string; linesRead: number } | { path: string; unread: "compressed" | "unreadable" };

/** The last lines of a log's stream, across its latest rotation. */
export interface LogWindow extends TailResult {
  /** Set when the current file held fewer lines than asked and a rotated file precedes it. */
  rotated?: RotatedPart;
}

/**
 * Reads the last `count` lines of the log's stream: the current file's tail and, when it holds
 * fewer (it was just rotated), the tail of the file its rotation left (`findRotatedFile`),
 * within one scan budget. A compressed rotated file is not read: the window then starts at the
 * rotation and says so. A file truncated while it was read (copytruncate) is read again once:
 * its old lines are in the rotated copy by then. Rejects as `readTailLines` does, for the
 * current file only: a rotated file that cannot be read is treated as a compressed one (the
 * window starts at the rotation), and says so.
 */
export async function readLogWindow(path: string, count: number, options: TailOptions = {}): Promise<LogWindow> {
  let current = await readTailLines(path, count, options);
  if (current.shrank) current = await readTailLines(path, count, options);
  if (current.lines.length >= count || current.scanCutShort || current.stopped) return current;
  const rotated = await findRotatedFile(path);
  if (rotated === null) return current;
  if (rotated.compressed) return { ...current, rotated: { path: rotated.path, unread: "compressed" } };
  const budget = (options.maxScanBytes ?? TAIL_MAX_SCAN_BYTES) - current.bytesScanned;
  const earlier = await readTailLines(rotated.path, count - current.lines.length, { ...options, maxScanBytes: budget }).catch(() => null);
  if (earlier === null) return { ...current, rotated: { path: rotated.path, unread: "unreadable" } };
  return {
    ...current,
    lines: [...earlier.lines, ...current.lines],
    bytesScanned: current.bytesScanned + earlier.bytesScanned,
    linesCut: current.linesCut + earlier.linesCut,
    scanCutShort: earlier.scanCutShort,
    shrank: current.shrank || earlier.shrank,
    stopped: earlier.stopped,
    rotated: { path: rotated.path, linesRead: earlier.lines.length },
  };
}
