import { constants, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { createLineAssembler } from "./line-assembler.js";
import { monotonicMs } from "./monotonic.js";
import { recoverTruncatedTail } from "./recover-truncated-tail.js";
import { watchFileChanges } from "./watch-file-changes.js";

/** How often the file is looked at when no change event came (inotify can miss some). */
export const FOLLOW_POLL_MS = 300;
/** Each line keeps this many bytes at most; the rest is counted in a `… [N bytes cut]` marker. */
export const FOLLOW_MAX_LINE_BYTES = 64 * 1024;
const CHUNK_BYTES = 64 * 1024;
/** Bytes kept from just before the read position: they tell a truncated and rewritten file from the one read. */
const FINGERPRINT_BYTES = 64;

/** What happened to the followed file, for the user. */
export type FollowNotice =
  | { kind: "waiting"; path: string }
  | { kind: "appeared"; path: string }
  | { kind: "replaced"; path: string }
  | { kind: "removed"; path: string }
  | { kind: "truncated"; path: string; recoveredFrom: string | null }
  | { kind: "unreadable"; path: string; error: NodeJS.ErrnoException };

/** Where a follower's output goes. */
export interface FollowSink {
  /** Whole lines, oldest first; the follower reads on once the promise settles (backpressure). */
  lines(lines: string[]): Promise<void> | void;
  /** Awaited, so that a notice is written before the lines that follow it. */
  notice(notice: FollowNotice): Promise<void> | void;
}

export interface FollowOptions {
  /** Following stops when it aborts; the promise then resolves. */
  signal: AbortSignal;
  /** Where to start: the file's size when its tail was shown. A file now shorter is read from its start. */
  from: number;
  /** The unfinished last line the tail left out, completed by what follows `from`. */
  pending?: Buffer;
  pollMs?: number;
  maxLineBytes?: number;
}

/** The file being read: its descriptor, which stays valid when the name moves on, and what identifies it. */
interface Opened {
  handle: FileHandle;
  dev: number;
  ino: number;
}

/**
 * Follows a file as `tail -F` does, by name: new lines as they are written; across a rotation by
 * rename (Lifeguard's own, logrotate's `create`), the old file is read to its end before the new
 * one is followed from its start; a truncation (`copytruncate`) restarts at 0, first reading
 * what was written since the last read from the copy `<file>.1` when it is there; a file that
 * does not exist (yet), or is removed, is waited for. Only whole lines are given; a line left
 * unfinished when its file is rotated away is given as it is. Resolves when `signal` aborts.
 */
export async function followFile(path: string, sink: FollowSink, options: FollowOptions): Promise<void> {
  const { signal } = options;
  const pollMs = options.pollMs ?? FOLLOW_POLL_MS;
  const assembler = createLineAssembler(options.maxLineBytes ?? FOLLOW_MAX_LINE_BYTES);
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const wake = watchFileChanges(path, { pollMs, signal });
  let current: Opened | null = null;
  let opened = 0;
  let position = options.from;
  let fingerprint: Buffer = Buffer.alloc(0);
  let seen = { size: -1, mtimeMs: -1 };
  let goneSince: number | null = null;
  /** Failures already told (by errno), so that a file missing for an hour is announced once. */
  const told = new Set<string>();
  const emit = async (lines: string[]): Promise<void> => void (lines.length > 0 && (await sink.lines(lines)));
  const flush = async (): Promise<void> => {
    const last = assembler.flush();
    if (last !== undefined) await emit([last]);
  };
  const tell = async (key: string, notice: FollowNotice): Promise<void> => {
    if (told.has(key)) return;
    told.add(key);
    await sink.notice(notice);
  };

  /** Reads from the position to `end`, or to the end of the file, handing on whole lines. */
  const readOn = async (file: Opened, end = Number.POSITIVE_INFINITY): Promise<void> => {
    while (position < end && !signal.aborted) {
      const { bytesRead } = await file.handle.read(chunk, 0, Math.min(CHUNK_BYTES, end - position), position);
      if (bytesRead === 0) return;
      position += bytesRead;
      fingerprint = keepLast(fingerprint, chunk.subarray(0, bytesRead));
      await emit(assembler.push(chunk, 0, bytesRead));
    }
  };
  const close = async (): Promise<void> => {
    await current?.handle.close().catch(() => undefined);
    current = null;
  };
  /** Opens the file by name; the first time at `from`, every later time (a new file) at 0. */
  const reopen = async (): Promise<void> => {
    try {
      // O_NONBLOCK: a FIFO given as the file must not hang the thread pool until a writer appears.
      const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const stats = await handle.stat();
      current = { handle, dev: stats.dev, ino: stats.ino };
    } catch (error) {
      const failure = error as NodeJS.ErrnoException;
      const missing = failure.code === "ENOENT" || failure.code === "ENOTDIR";
      await tell(failure.code ?? failure.message, missing ? { kind: "waiting", path } : { kind: "unreadable", path, error: failure });
      return;
    }
    opened += 1;
    seen = { size: -1, mtimeMs: -1 };
    goneSince = null;
    if (opened === 1 && told.size === 0) {
      // The file the tail was read from, unless it is now shorter (replaced or truncated since).
      if ((await current.handle.stat()).size < position) position = 0;
      else if (options.pending !== undefined) assembler.push(options.pending);
      fingerprint = await readFingerprint(current.handle, position);
      return;
    }
    if (told.size > 0) await sink.notice({ kind: "appeared", path });
    told.clear();
    position = 0;
    fingerprint = Buffer.alloc(0);
  };
  /** Whether the bytes before the position are still those read: false when the file was truncated and written again. */
  const stillSame = async (file: Opened, stats: Stats): Promise<boolean> => {
    if (stats.size < position) return false;
    if (fingerprint.length === 0 || (stats.size === seen.size && stats.mtimeMs === seen.mtimeMs)) return true;
    return (await readFingerprint(file.handle, position)).equals(fingerprint);
  };

  const cycle = async (): Promise<void> => {
    if (current === null) await reopen();
    const file = current;
    if (file === null) return;
    const named = await stat(path).catch(() => null);
    if (named === null) {
      // Renamed away or removed: read what the old file still has, and give its successor a poll to appear.
      await readOn(file, (await file.handle.stat()).size);
      goneSince ??= monotonicMs();
      if (monotonicMs() - goneSince < pollMs) return;
      await flush();
      await close();
      await tell("ENOENT", { kind: "removed", path });
      return;
    }
    goneSince = null;
    const stats = await file.handle.stat();
    if (named.ino !== file.ino || named.dev !== file.dev || stats.nlink === 0) {
      // Rotated: the old file is read to its end (as far as it is now), then the new one from its start.
      await readOn(file, stats.size);
      await flush();
      await close();
      await sink.notice({ kind: "replaced", path });
      await reopen();
      return;
    }
    if (!(await stillSame(file, stats))) {
      const recoveredFrom = await recoverTruncatedTail(path, position, fingerprint, (bytes) => emit(assembler.push(bytes)));
      await flush();
      position = 0;
      fingerprint = Buffer.alloc(0);
      await sink.notice({ kind: "truncated", path, recoveredFrom });
    }
    seen = { size: stats.size, mtimeMs: stats.mtimeMs };
    // Up to the size seen: a writer that never pauses must not keep rotations from being noticed.
    await readOn(file, stats.size);
  };

  try {
    while (!signal.aborted) {
      try {
        await cycle();
      } catch (error) {
        // A read that failed (EIO, a stale mount): said once, tried again at the next wake.
        const failure = error as NodeJS.ErrnoException;
        await tell(failure.code ?? failure.message, { kind: "unreadable", path, error: failure });
      }
      await wake.next();
    }
  } finally {
    wake.close();
    await close();
  }
}

/** The bytes just before `position`, at most FINGERPRINT_BYTES. */
async function readFingerprint(handle: FileHandle, position: number): Promise<Buffer> {
  const length = Math.min(FINGERPRINT_BYTES, position);
  const bytes = Buffer.alloc(length);
  const { bytesRead } = await handle.read(bytes, 0, length, position - length);
  return bytes.subarray(0, bytesRead);
}

/** The last FINGERPRINT_BYTES of `before` followed by `bytes`. */
function keepLast(before: Buffer, bytes: Buffer): Buffer {
  if (bytes.length >= FINGERPRINT_BYTES) return Buffer.from(bytes.subarray(bytes.length - FINGERPRINT_BYTES));
  return Buffer.concat([before, bytes]).subarray(-FINGERPRINT_BYTES);
}
