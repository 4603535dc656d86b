import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";

/** Lines are written to the file in blocks of up to this size. */
const BLOCK_BYTES = 4 * 1024 * 1024;
/** The bot writes a few lines per second: the timestamp changes every LINES_PER_SECOND lines. */
const LINES_PER_SECOND = 4;
const START = Date.UTC(2024, 10, 30, 21, 0, 0);

/** A line like the seed's bot writes (about 80 bytes, ASCII): `2024-11-30 21:00:01 INFO VIX 15.23 Position ok ...`. */
export function botLine(index: number, timestamp: string): string {
  return `${timestamp} INFO VIX ${VIX[index % VIX.length]} Position ok qty=${100 + (index % 50)} pnl=${PNL[(index * 37) % PNL.length]} Update ${index}\n`;
}

// Formatted once: toFixed on every one of 13 million lines would double the time to write 1 GiB.
const VIX = Array.from({ length: 700 }, (_, i) => (15 + i / 100).toFixed(2));
const PNL = Array.from({ length: 5000 }, (_, i) => (i / 100 - 25).toFixed(2));

/**
 * Makes `path` a log of exactly `size` bytes of bot lines (the last one may be shorter), fsynced so
 * that its pages are clean and can be dropped from the cache. An existing file of that size is
 * reused. Returns how long the writing took, or null when the file was reused.
 */
export function ensureLogFile(path: string, size: number): number | null {
  if (sizeOf(path) === size) return null;
  const started = performance.now();
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const fd = openSync(partial, "w");
  try {
    // Lines are copied into one reused buffer: concatenating 13 million strings is 4 times slower.
    const block = Buffer.allocUnsafe(BLOCK_BYTES);
    let written = 0;
    let index = 0;
    let timestamp = "";
    while (written < size) {
      let used = 0;
      for (; written + used < size; index += 1) {
        if (index % LINES_PER_SECOND === 0) timestamp = formatTimestamp(START + (index / LINES_PER_SECOND) * 1000);
        const line = botLine(index, timestamp);
        const room = size - written - used;
        // The last line is cut to fit the size exactly, and still ends the file with a newline.
        const text = line.length <= room ? line : `${line.slice(0, room - 1)}\n`;
        if (used + text.length > block.length) break;
        used += block.write(text, used, "latin1");
      }
      written += writeSync(fd, block, 0, used);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return performance.now() - started;
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as the bot logs it. */
function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
