import { appendFileSync, renameSync, rmSync, statSync } from "node:fs";

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
      if (options.maxBytes !== null && sizeOf(path) + Buffer.byteLength(data) > options.maxBytes) rotate(path, options.keep);
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

/** `path.<keep>` is dropped, each `path.N` becomes `path.N+1`, `path` becomes `path.1`. */
export function rotate(path: string, keep: number): void {
  if (keep < 1) {
    rmSync(path, { force: true });
    return;
  }
  rmSync(`${path}.${keep}`, { force: true });
  for (let index = keep - 1; index >= 1; index -= 1) renameIfPresent(`${path}.${index}`, `${path}.${index + 1}`);
  renameIfPresent(path, `${path}.1`);
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
