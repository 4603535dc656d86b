import { renameSync, rmSync } from "node:fs";

/**
 * Size-based rotation, shared by the watchdog log and a supervised service's output:
 * `path.<keep>` is dropped, each `path.N` becomes `path.N+1`, `path` becomes `path.1`.
 * With `keep` 0 the file is only removed.
 */
export function rotateFile(path: string, keep: number): void {
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
