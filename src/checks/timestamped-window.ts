import type { LineTimestamp } from "../process/line-timestamp.js";
import { readLogWindow, type LogWindow } from "./read-log-window.js";

/** The lines a log wrote in a window of time, by the timestamps they start with. */
export interface TimestampedWindow {
  /** Every line after the last one older than the window, oldest first, timestamped or not (a traceback's). */
  lines: string[];
  /** The read stopped at `lines` or at the scan's byte budget before reaching a line older than the window. */
  readCapReached: boolean;
  /** Lines of the window that start with no timestamp: they are not counted. */
  undated: number;
  /** The read of the log, for its flags (rotation, bytes scanned). */
  read: LogWindow;
}

/**
 * Reads back from the end of the log (and into its rotated file: readLogWindow) to the first line
 * whose own timestamp is older than `since`, at most `maxLines` lines: a log replayed from the
 * past ends at once. The log is taken in the order it was written: a line older than the window
 * ends it, even if newer ones precede it. Rejects as readLogWindow does.
 */
export async function readTimestampedWindow(path: string, stamp: LineTimestamp, since: number, maxLines: number, signal: AbortSignal): Promise<TimestampedWindow> {
  const isOlder = (line: string): boolean => {
    const at = stamp.parse(line);
    return at !== null && at < since;
  };
  const read = await readLogWindow(path, maxLines, { signal, stopAt: isOlder });
  const lines = read.stopped ? read.lines.slice(1) : read.lines;
  return {
    lines,
    readCapReached: !read.stopped && (read.lines.length >= maxLines || read.scanCutShort),
    undated: lines.filter((line) => stamp.parse(line) === null).length,
    read,
  };
}
