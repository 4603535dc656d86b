import { dirname } from "node:path";
import { inotifyBlindness } from "../process/inotify-blind.js";
import { watchName, type NameEvent } from "../process/watch-name.js";
import type { Follow } from "./probe.js";

/** A followed log, as its probe sees it: `looking()` as it stats the log. */
export interface LogFollow extends Follow {
  looking(): void;
}

/**
 * Follows a log by name for `log-fresh` in the daemon (fs.watch of its directory), so that a
 * fresh log's finding holds without a stat each round. A write needs no look: it can only make
 * the log fresher, and the round at the deadline stats it anyway. What may turn the finding is the
 * name itself: the log deleted, renamed away (rotation), made again, or the directory gone; each
 * calls `onChange` (the daemon's loop goes back to its interval), and nothing holds until the
 * probe has looked again.
 * Where inotify cannot be trusted (a network or FUSE file system) or the directory cannot be
 * watched, nothing holds: the log is stat-ed every round, as without following, and `notice`
 * says so once; a directory that could not be watched is tried again at each look.
 */
export function followLog(path: string, onChange: () => void, notice: (message: string) => void): LogFollow {
  const dir = dirname(path);
  let state: "trying" | "watching" | "unwatched" | "blind" | "stopped" = "trying";
  let changed = true;
  let unwatch: (() => void) | null = null;
  let noticed = false;
  const tell = (message: string): void => {
    if (!noticed) notice(message);
    noticed = true;
  };
  const onEvent = (event: NameEvent): void => {
    // A write: fresher still. Anything else may turn the finding.
    if (event === "change") return;
    changed = true;
    if (event === "lost") {
      unwatch = null;
      state = "unwatched";
    }
    onChange();
  };
  const watchNow = (): void => {
    try {
      unwatch = watchName(path, onEvent);
      state = "watching";
    } catch (error) {
      state = "unwatched";
      tell(`Cannot watch the directory of "${path}" (${describe(error)}): its age is read by stat every round until it can be`);
    }
  };
  const tryWatching = (): void => {
    state = "trying";
    void inotifyBlindness(dir).then((found) => {
      if (state !== "trying") return;
      if ("error" in found) {
        state = "unwatched";
        return tell(`Cannot watch the directory of "${path}" (${found.error}): its age is read by stat every round until it can be`);
      }
      if (found.blind === null) return watchNow();
      state = "blind";
      tell(`"${path}" is on ${found.blind}, where inotify does not hear every change: its age is read by stat every round`);
    });
  };
  tryWatching();
  return {
    // Nothing heard before the watch began counts: the look after it settles that.
    unchanged: () => state === "watching" && !changed,
    looking: () => {
      changed = false;
      if (state === "unwatched") tryWatching();
      if (state !== "watching") changed = true;
    },
    stop: () => {
      state = "stopped";
      unwatch?.();
      unwatch = null;
    },
  };
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
}
