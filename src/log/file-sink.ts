import { appendFileSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { rotateFile } from "../process/rotate-file.js";

/** Where formatted lines go. */
export type Sink = (line: string) => void;

/**
 * Appends each line to `path`, opening the file per write: after logrotate moves the file
 * (`create`) the next line goes to the new one, and after `copytruncate` appends continue at
 * the new end (O_APPEND). With `maxBytes`, the file is rotated to `path.1`..`path.<keep>` first.
 * A missing directory is made (mode 0750).
 */
export function createFileSink(path: string, options: { maxBytes: number | null; keep: number; onError: (error: unknown) => void }): Sink {
  return (line) => {
    const data = `${line}\n`;
    try {
      if (options.maxBytes !== null && sizeOf(path) + Buffer.byteLength(data) > options.maxBytes) rotateFile(path, options.keep);
      append(path, data);
    } catch (error) {
      options.onError(error);
    }
  };
}

/** Appends `data`, making the file's directory first when it is missing (`/var/log/lifeguard/`, before `lifeguard install` made it). */
function append(path: string, data: string): void {
  try {
    appendFileSync(path, data, { mode: 0o640 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
    appendFileSync(path, data, { mode: 0o640 });
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
