import { appendFileSync, statSync } from "node:fs";
import { rotateFile } from "../../process/rotate-file.js";

/** Where a supervised service's stdout and stderr go: appended to `file`, rotated by size. */
export interface OutputTarget {
  file: string;
  /** `file` never grows beyond this many bytes: it is rotated to `file.1` first. */
  maxBytes: number;
  /** Rotated files kept: `file.1` (newest) .. `file.<keep>`. */
  keep: number;
}

/** The service's output as Lifeguard keeps it. */
export interface OutputLog {
  /** Takes one chunk read from the child's pipes. Never throws: a failed write is reported, the chunk dropped. */
  write(chunk: Buffer): void;
  /** The last non-empty line of output (stdout or stderr), bounded; the usual cause of a crash. */
  lastLine(): string | undefined;
  /** Wall-clock time (ms since the epoch) of the last output; null before any. */
  lastOutputAt(): number | null;
}

/** Output kept in memory to find the last line, whether or not it goes to a file. */
const TAIL_BYTES = 4096;
const LINE_MAX_CHARS = 300;
const NEWLINE = 0x0a;

/**
 * An output log. Each chunk is appended by path (like the watchdog log's file sink), so an
 * outside logrotate in `create` or `copytruncate` mode is followed too. A chunk that does not
 * fit is cut after its last whole line that fits, so lines stay whole across `file` and `file.1`
 * (a line longer than `maxBytes` is split). With `target` null the output is read and dropped:
 * the pipes are always drained, so the child never blocks on a full pipe.
 */
export function createOutputLog(target: OutputTarget | null, onError: (error: unknown) => void, now: () => number = Date.now): OutputLog {
  if (target !== null && (!Number.isSafeInteger(target.maxBytes) || target.maxBytes < 1)) throw new RangeError(`maxBytes must be a positive integer, got ${target.maxBytes}`);
  const tail = createByteTail(TAIL_BYTES);
  let lastAt: number | null = null;
  let failing = false;
  return {
    write(chunk) {
      lastAt = now();
      tail.add(chunk);
      if (target === null) return;
      try {
        appendRotating(target, chunk);
        failing = false;
      } catch (error) {
        // Reported once per failing streak (a full disk would otherwise report every chunk).
        if (!failing) onError(error);
        failing = true;
      }
    },
    lastLine: () => lastLineOf(tail.bytes()),
    lastOutputAt: () => lastAt,
  };
}

/**
 * The last `size` bytes written, in one buffer of that size made at the first write (a quiet
 * service costs nothing) and reused by every later one: a chunk is read from the pipe and dropped,
 * never kept, whatever its size.
 */
function createByteTail(size: number): { add(chunk: Buffer): void; bytes(): Buffer } {
  let buffer: Buffer | null = null;
  let length = 0;
  return {
    add(chunk) {
      buffer ??= Buffer.alloc(size);
      const kept = Math.min(length, size - Math.min(chunk.length, size));
      buffer.copyWithin(0, length - kept, length);
      length = kept + chunk.copy(buffer, kept, Math.max(0, chunk.length - size));
    },
    bytes: () => (buffer === null ? Buffer.alloc(0) : buffer.subarray(0, length)),
  };
}

function appendRotating({ file, maxBytes, keep }: OutputTarget, chunk: Buffer): void {
  let rest = chunk;
  while (rest.length > 0) {
    const size = sizeOf(file);
    const room = Math.max(0, maxBytes - size);
    if (rest.length <= room) {
      appendFileSync(file, rest, { mode: 0o640 });
      return;
    }
    let cut = room > 0 ? rest.lastIndexOf(NEWLINE, room - 1) + 1 : 0;
    if (cut === 0 && size === 0) cut = room; // one line longer than a whole file: split it
    if (cut > 0) appendFileSync(file, rest.subarray(0, cut), { mode: 0o640 });
    rotateFile(file, keep);
    rest = rest.subarray(cut);
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function lastLineOf(tail: Buffer): string | undefined {
  const line = tail.toString("utf8").split("\n").map((part) => part.trim()).filter((part) => part !== "").at(-1);
  return line === undefined ? undefined : line.slice(0, LINE_MAX_CHARS);
}
