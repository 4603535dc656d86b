import { appendFileSync, statSync } from "node:fs";
import { rotateFile } from "../process/rotate-file.js";

/** Where formatted lines go. */
export type Sink = (line: string) => void;

/**
 * Appends each line to `path`, opening the file per write: after logrotate moves the file
 * (`create`) the next line goes to the new one, and after `copytruncate` appends continue at
 * the new end (O_APPEND). With `maxBytes`, the file is rotated to `path.1`..`path.<keep>` first.
 */
export function createFileSink(path: string, options: { maxBytes: number | null; keep: number; onError: (error: unknown) => void }): Sink {
  return (line) => {
    const data = `${line}\n`;
    try {
      if (options.maxBytes !== null && sizeOf(path) + Buffer.byteLength(data) > options.maxBytes) rotateFile(path, options.keep);
      appendFileSync(path, data, { mode: 0o640 });
    } catch (error) {
      options.onError(error);
    }
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
