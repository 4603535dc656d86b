import { watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";

/** Wakes a follower when its file may have changed. */
export interface FileWake {
  /**
   * Resolves at the next change of a name starting with the file's in its directory (the file,
   * its rotation `<file>.1`), after `pollMs` at the latest, and at once when a change came since
   * the last call or the signal aborted.
   */
  next(): Promise<void>;
  close(): void;
}

/**
 * Watches the file's directory, not the file: a watch on the file itself follows the inode and
 * goes quiet when the file is renamed away, which is what rotation does. inotify can miss events
 * (a queue overflow, a network file system, a directory that does not exist yet), so a poll every
 * `pollMs` backs it up; a directory that cannot be watched is polled alone, and watched once it
 * can be.
 */
export function watchFileChanges(path: string, options: { pollMs: number; signal: AbortSignal }): FileWake {
  const dir = dirname(path);
  const name = basename(path);
  let watcher: FSWatcher | null = null;
  let changed = false;
  let closed = false;
  let wakeUp: (() => void) | null = null;

  const notify = (): void => {
    changed = true;
    wakeUp?.();
  };
  const stopWatching = (): void => {
    watcher?.close();
    watcher = null;
  };
  const startWatching = (): void => {
    if (watcher !== null || closed) return;
    try {
      // Not persistent: the poll timer is what keeps a follower's process alive, and ends with it.
      watcher = watch(dir, { persistent: false }, (_event, file) => {
        if (file === null || String(file).startsWith(name)) notify();
      });
      watcher.on("error", () => {
        // The directory went away (or the watch broke): poll, and watch again when it can be.
        stopWatching();
        notify();
      });
    } catch {
      watcher = null;
    }
  };

  return {
    next: () =>
      new Promise<void>((resolve) => {
        startWatching();
        if (changed || options.signal.aborted || closed) {
          changed = false;
          resolve();
          return;
        }
        const done = (): void => {
          clearTimeout(timer);
          options.signal.removeEventListener("abort", done);
          wakeUp = null;
          changed = false;
          resolve();
        };
        const timer = setTimeout(done, options.pollMs);
        wakeUp = done;
        options.signal.addEventListener("abort", done, { once: true });
      }),
    close: () => {
      closed = true;
      stopWatching();
      wakeUp?.();
    },
  };
}
