import { watch } from "node:fs";
import { basename, dirname } from "node:path";

/** Counts Lifeguard's own rotations of one file while it runs. */
export interface RotationCounter {
  count(): number;
  /** Wall times (ms) of the renames: a rotation happened at or just before each. */
  times(): number[];
  close(): void;
}

/**
 * Watches the file's directory (inotify). A rotation renames `file` away (IN_MOVED_FROM) and the
 * next append creates it again (IN_CREATE): Node reports both as a "rename" of `file`, as it does
 * the first creation. So rotations = floor(renames / 2), whether or not the last one was followed
 * by a new file. The directory must hold nothing else named like the file.
 */
export function countRotations(file: string): RotationCounter {
  const name = basename(file);
  const renames: number[] = [];
  const watcher = watch(dirname(file), (event, filename) => {
    if (event === "rename" && filename === name) renames.push(Date.now());
  });
  return { count: () => Math.floor(renames.length / 2), times: () => [...renames], close: () => watcher.close() };
}
