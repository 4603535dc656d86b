import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { createDirectoryError } from "./log-file-error.js";
import { createLineWindow, type LineWindow } from "./line-window.js";
import { createScratchPool } from "./tail-scratch.js";

/** Bytes read per step backwards from the end of the file. */
export const TAIL_CHUNK_BYTES = 64 * 1024;
/** Each kept line is cut to this many bytes (its start is kept, a marker says how much was cut). */
export const TAIL_MAX_LINE_BYTES = 64 * 1024;
/** The scan backwards stops after this many bytes, however few lines it found. */
export const TAIL_MAX_SCAN_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;
/** Every read's buffers, lent and given back (see createScratchPool). */
const scratch = createScratchPool({ chunkBytes: TAIL_CHUNK_BYTES, lineBytes: TAIL_MAX_LINE_BYTES });

/** Limits of one tail read; the defaults suit logs, tests make them small. */
export interface TailOptions {
  /** Default `TAIL_MAX_LINE_BYTES`. */
  maxLineBytes?: number;
  /** Default `TAIL_MAX_SCAN_BYTES`. */
  maxScanBytes?: number;
  /** Default `TAIL_CHUNK_BYTES`. */
  chunkBytes?: number;
  /** Stops the scan between two reads; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Byte offset the scan reads no further back than, as if the file began there (what an earlier read already took). Default 0. */
  startAt?: number;
  /** The scan stops after the first line (newest first) for which this is true; that line is kept (`TailResult.stopped`). */
  stopAt?: (line: string) => boolean;
  /** Test seam: awaited before each read, with the file position about to be read. */
  beforeRead?: (position: number) => void | Promise<void>;
}

/** The last lines of a file, oldest first, and how far the reader had to go to find them. */
export interface TailResult {
  /** Decoded as UTF-8 (invalid bytes become U+FFFD), without `\n` or `\r\n`; cut lines end with a marker. */
  lines: string[];
  /** Size of the file when it was opened; bytes appended later are not read. */
  size: number;
  mtimeMs: number;
  /** The file's identity when it was opened: a new file under the name (a rotation) has another. */
  dev: number;
  ino: number;
  bytesScanned: number;
  /** How many returned lines were longer than `maxLineBytes` and were cut. */
  linesCut: number;
  /** The scan stopped at `maxScanBytes` before the file's start: the oldest line may be incomplete. */
  scanCutShort: boolean;
  /** The file shrank while it was read (truncated, e.g. copytruncate): only lines read before are returned. */
  shrank: boolean;
  /** The scan stopped at a line `stopAt` chose, the oldest returned. */
  stopped: boolean;
}

/**
 * Reads the last `count` lines of a file backwards from its end, in fixed-size chunks through
 * one file descriptor and one fstat, so a 1 GiB log costs what a 1 KiB log costs; its buffers are
 * borrowed from a pool shared by all reads and given back at the end. A last line
 * without a final newline counts as a line. Rejects only when the file cannot be opened or is a
 * directory (with the fs error: `ENOENT`, `EACCES`, `EISDIR`...), or when `signal` aborts.
 */
export async function readTailLines(path: string, count: number, options: TailOptions = {}): Promise<TailResult> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Cannot read the tail of "${path}" as the line count "${count}" is not a whole number >= 0`);
  options.signal?.throwIfAborted();
  // O_NONBLOCK: opening a FIFO must not hang the thread pool until a writer appears.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw createDirectoryError(path);
    const read = (buffer: Buffer, length: number, position: number) => handle.read(buffer, 0, length, position).then((r) => r.bytesRead);
    const chunkBytes = options.chunkBytes ?? TAIL_CHUNK_BYTES;
    const maxLineBytes = options.maxLineBytes ?? TAIL_MAX_LINE_BYTES;
    const lent = scratch.borrow(chunkBytes, maxLineBytes);
    try {
      const buffers = { chunk: lent.chunk, chunkBytes, line: createLineWindow(maxLineBytes, lent.line) };
      return { ...(await scanBackwards(read, stats.size, count, buffers, options)), size: stats.size, mtimeMs: stats.mtimeMs, dev: stats.dev, ino: stats.ino };
    } finally {
      scratch.giveBack(lent);
    }
  } finally {
    await handle.close();
  }
}

type ReadAt = (buffer: Buffer, length: number, position: number) => Promise<number>;
type ScanResult = Omit<TailResult, "size" | "mtimeMs" | "dev" | "ino">;

/** The buffers of one scan: the file read `chunkBytes` at a time into `chunk`, the current line assembled in `line`. */
interface ScanBuffers {
  chunk: Buffer;
  chunkBytes: number;
  line: LineWindow;
}

async function scanBackwards(read: ReadAt, size: number, count: number, { chunk, chunkBytes, line }: ScanBuffers, options: TailOptions): Promise<ScanResult> {
  const maxScanBytes = options.maxScanBytes ?? TAIL_MAX_SCAN_BYTES;
  const newestFirst: string[] = [];
  let position = size;
  let linesCut = 0;
  // The bytes after the file's final newline are a line only when there are some.
  let isLastSegment = true;
  let stopped = false;
  const finishLine = (): void => {
    if (!(isLastSegment && line.totalBytes === 0)) {
      if (line.isCut) linesCut += 1;
      const text = line.decode();
      newestFirst.push(text);
      stopped = options.stopAt?.(text) ?? false;
    }
    line.reset();
    isLastSegment = false;
  };
  const result = (flags: { scanCutShort?: boolean; shrank?: boolean } = {}): ScanResult => ({
    lines: newestFirst.reverse(), bytesScanned: size - position, linesCut, scanCutShort: flags.scanCutShort ?? false, shrank: flags.shrank ?? false, stopped,
  });

  const floor = options.startAt ?? 0;
  while (newestFirst.length < count && position > floor) {
    const length = Math.min(chunkBytes, position - floor, maxScanBytes - (size - position));
    if (length <= 0) {
      // Out of scan budget: what was seen of the oldest line is kept, its start may be missing.
      if (line.totalBytes > 0) finishLine();
      return result({ scanCutShort: true });
    }
    await options.beforeRead?.(position - length);
    options.signal?.throwIfAborted();
    // A short read means the file is now shorter than when it was opened: keep what was read before.
    if ((await read(chunk, length, position - length)) < length) return result({ shrank: true });
    position -= length;
    for (let end = length; end > 0; ) {
      const newline = chunk.lastIndexOf(NEWLINE, end - 1);
      line.prepend(chunk, newline + 1, end);
      if (newline === -1) break;
      finishLine();
      if (newestFirst.length === count || stopped) return result();
      end = newline;
    }
  }
  // At the file's start (or `startAt`) the pending bytes are its first line.
  if (newestFirst.length < count && size > floor) finishLine();
  return result();
}
