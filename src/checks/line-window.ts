import { decodeCutLine } from "../process/cut-line.js";

const CARRIAGE_RETURN = 0x0d;

/**
 * One line assembled backwards (its pieces arrive last piece first) in a fixed buffer: it keeps
 * the line's first `maxBytes` bytes, which hold a log line's time stamp and message, and counts
 * the rest. Memory stays `maxBytes` whatever the line's length.
 */
export interface LineWindow {
  /** Adds `source[start, end)`, the bytes just before those already added. */
  prepend(source: Buffer, start: number, end: number): void;
  /** Bytes of the line seen so far, kept or not. */
  readonly totalBytes: number;
  readonly isCut: boolean;
  /** The line as text, without a trailing `\r`; a cut line ends with `… [N bytes cut]`. */
  decode(): string;
  reset(): void;
}

/**
 * Creates a line window keeping at most `maxBytes` bytes, in `buffer` (its first `maxBytes` bytes;
 * a buffer lent for one read and reused by the next: what it held before is never read).
 */
export function createLineWindow(maxBytes: number, buffer: Buffer = Buffer.allocUnsafe(maxBytes)): LineWindow {
  if (buffer.length < maxBytes) throw new RangeError(`The line window's buffer holds ${buffer.length} bytes, fewer than the ${maxBytes} it keeps`);
  // The kept bytes are buffer[maxBytes - kept, maxBytes); once cut they are buffer[0, maxBytes).
  let kept = 0;
  let total = 0;

  const prepend = (source: Buffer, start: number, end: number): void => {
    const length = end - start;
    if (length <= 0) return;
    total += length;
    const free = maxBytes - kept;
    if (length >= maxBytes) {
      source.copy(buffer, 0, start, start + maxBytes);
      kept = maxBytes;
    } else if (length <= free) {
      source.copy(buffer, free - length, start, end);
      kept += length;
    } else {
      // The new bytes come first in the line: shift the old ones right, dropping their end.
      buffer.copyWithin(length, free, free + maxBytes - length);
      source.copy(buffer, 0, start, end);
      kept = maxBytes;
    }
  };

  const decode = (): string => {
    if (total <= kept) {
      const end = kept > 0 && buffer[maxBytes - 1] === CARRIAGE_RETURN ? maxBytes - 1 : maxBytes;
      return buffer.toString("utf8", maxBytes - kept, end);
    }
    return decodeCutLine(buffer, maxBytes, total);
  };

  return {
    prepend,
    get totalBytes() {
      return total;
    },
    get isCut() {
      return total > kept;
    },
    decode,
    reset: () => {
      kept = 0;
      total = 0;
    },
  };
}
