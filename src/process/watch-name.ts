import { statSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname } from "node:path";

/** What happened to a watched name: written to (`change`), or created, deleted or renamed (`rename`); `lost` when the watch itself broke. */
export type NameEvent = "change" | "rename" | "lost";

/** One directory's watch, shared by every name followed in it. */
interface DirectoryWatch {
  watcher: FSWatcher;
  /** The directory's inode when watched: a directory deleted and made again is another one, which this watch does not see. */
  inode: number;
  listeners: Map<string, Set<(event: NameEvent) => void>>;
}

const directories = new Map<string, DirectoryWatch>();

/**
 * Follows one file by name through a watch of its directory (inotify, `fs.watch`): the name's
 * writes (`change`), and its creation, deletion and renames (`rename`), which a watch of the file
 * alone would miss once rotation renames it away. A directory holds one watch, however many names
 * in it are followed, and each event calls only its name's listeners. When the watch breaks (the
 * directory went away: inotify then says only `rename` of the directory's own name, and goes
 * quiet), every listener hears `lost` once and the watch is dropped. Throws what
 * `fs.watch` throws (a missing directory, the inotify watch limit); returns how to stop.
 */
export function watchName(path: string, listener: (event: NameEvent) => void): () => void {
  const dir = dirname(path);
  const name = basename(path);
  const entry = directories.get(dir) ?? openDirectory(dir);
  const set = entry.listeners.get(name) ?? new Set();
  entry.listeners.set(name, set);
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) entry.listeners.delete(name);
    if (entry.listeners.size === 0 && directories.get(dir) === entry) closeDirectory(dir, entry);
  };
}

function openDirectory(dir: string): DirectoryWatch {
  // Not persistent: the daemon's own timers keep it alive, a watch never should.
  const watcher = watch(dir, { persistent: false });
  const entry: DirectoryWatch = { watcher, inode: statSync(dir).ino, listeners: new Map() };
  const self = basename(dir);
  watcher.on("change", (event, file) => {
    // No name (the kernel dropped it): every name may have changed.
    if (file === null) return tellAll(entry, "rename");
    if (event === "rename" && String(file) === self && !isSameDirectory(dir, entry.inode)) return lose(dir, entry);
    const set = entry.listeners.get(String(file));
    if (set !== undefined) for (const listener of set) listener(event === "change" ? "change" : "rename");
  });
  watcher.on("error", () => lose(dir, entry));
  directories.set(dir, entry);
  return entry;
}

function lose(dir: string, entry: DirectoryWatch): void {
  closeDirectory(dir, entry);
  tellAll(entry, "lost");
}

function isSameDirectory(dir: string, inode: number): boolean {
  try {
    return statSync(dir, { throwIfNoEntry: false })?.ino === inode;
  } catch {
    return false;
  }
}

function closeDirectory(dir: string, entry: DirectoryWatch): void {
  if (directories.get(dir) === entry) directories.delete(dir);
  entry.watcher.close();
}

function tellAll(entry: DirectoryWatch, event: NameEvent): void {
  for (const set of [...entry.listeners.values()]) for (const listener of [...set]) listener(event);
}
