import { decodeCutLine } from "./cut-line.js";

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Whole lines out of bytes read forwards (a followed file): what follows the last newline waits
 * for the rest of its line. Each line keeps its first `maxBytes` bytes and counts the rest, so
 * memory stays `maxBytes` however long a line is, binary data without a newline included.
 */
export interface LineAssembler {
  /** Takes the next bytes; returns the lines they complete, without `\n` or `\r\n`. */
  push(bytes: Buffer, start?: number, end?: number): string[];
  /** The unfinished line as a line (its writer moved on to another file), or undefined when there is none. */
  flush(): string | undefined;
  /** Bytes of the unfinished line seen so far, kept or not. */
  readonly pendingBytes: number;
}

/** Creates a line assembler keeping at most `maxBytes` bytes of each line. */
export function createLineAssembler(maxBytes: number): LineAssembler {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  const buffer = Buffer.allocUnsafe(maxBytes);
  let kept = 0;
  let total = 0;

  const append = (bytes: Buffer, start: number, end: number): void => {
    const copied = Math.min(end - start, maxBytes - kept);
    if (copied > 0) bytes.copy(buffer, kept, start, start + copied);
    kept += Math.max(0, copied);
    total += end - start;
  };
  const take = (): string => {
    const line = total > kept
      ? decodeCutLine(buffer, kept, total)
      : buffer.toString("utf8", 0, kept > 0 && buffer[kept - 1] === CARRIAGE_RETURN ? kept - 1 : kept);
    kept = 0;
    total = 0;
    return line;
  };

  return {
    push(bytes, start = 0, end = bytes.length) {
      const lines: string[] = [];
      // A view ending at `end`: the bytes after it (a reused read buffer's stale ones) are not searched.
      const view = bytes.subarray(0, end);
      for (let from = start; from < end; ) {
        const newline = view.indexOf(NEWLINE, from);
        if (newline === -1) {
          append(bytes, from, end);
          break;
        }
        append(bytes, from, newline);
        lines.push(take());
        from = newline + 1;
      }
      return lines;
    },
    flush: () => (total === 0 ? undefined : take()),
    get pendingBytes() {
      return total;
    },
  };
}
