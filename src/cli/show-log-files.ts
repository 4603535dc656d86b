import { basename } from "node:path";
import { describeReadFix } from "../checks/describe-read-fix.js";
import { describeLogFileError } from "../checks/log-file-error.js";
import { readLogWindow, type LogWindow } from "../checks/read-log-window.js";
import { EXIT } from "../core/errors.js";
import { endsMidLine } from "../process/ends-mid-line.js";
import { followFile } from "../process/follow-file.js";
import { describeFollowNotice } from "./describe-follow-notice.js";
import type { LineSink } from "./line-sink.js";
import type { LogFile } from "./log-sources.js";

/** Lines written to stdout at once while showing a tail: a large `-n` is not one huge string. */
const WRITE_BATCH_LINES = 1000;

export interface ShowFilesOptions {
  /** How many of the last lines to show first. */
  lines: number;
  follow: boolean;
  sink: LineSink;
  /** Writes one line to stderr. */
  note(line: string): void;
  /** Ends following. */
  signal: AbortSignal;
}

/** Where following a file starts: after the tail shown, completing its unfinished last line. */
interface Start {
  file: LogFile;
  from: number;
  pending?: Buffer;
}

/**
 * Shows the last lines of each file (across its latest rotation, `readLogWindow`: bounded memory
 * whatever its size), then with `follow` their new lines until the signal aborts. Lines are
 * raw, for grep; with several files each is prefixed with its file's name, `name | line`. A file
 * that cannot be read is said on stderr with the fix the checks give, and the result is exit 1
 * (not following); a missing one too, unless following, which waits for it.
 */
export async function showLogFiles(files: readonly LogFile[], options: ShowFilesOptions): Promise<number> {
  const label = labeller(files);
  const starts: Start[] = [];
  let failed = false;
  for (const file of files) {
    const start = await showTail(file, label, options);
    if (start === null) failed = true;
    else starts.push(start);
  }
  if (failed) return EXIT.failed;
  if (!options.follow) return EXIT.healthy;
  await Promise.all(starts.map(({ file, from, pending }) => followFile(file.path, {
    lines: (lines) => options.sink.write(label(file, lines)),
    notice: async (notice) => {
      for (const line of await describeFollowNotice(notice, file.what)) options.note(line);
    },
  }, { signal: options.signal, from, ...(pending === undefined ? {} : { pending }) })));
  return EXIT.healthy;
}

/** Writes the file's last lines; resolves to where following it starts, or null when it cannot be read. */
async function showTail(file: LogFile, label: (file: LogFile, lines: string[]) => string[], options: ShowFilesOptions): Promise<Start | null> {
  // Following reads one line more: when the last is still being written, it is left to the follower.
  const count = options.follow ? options.lines + 1 : options.lines;
  let window: LogWindow;
  try {
    window = await readLogWindow(file.path, count);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.follow && (code === "ENOENT" || code === "ENOTDIR")) return { file, from: 0 };
    const hint = code === "ENOENT" || code === "ENOTDIR" ? "With -f, Lifeguard waits for it to be created." : await describeReadFix(file.path, code);
    options.note(`lifeguard: ${describeLogFileError(file.path, error, file.what).summary}`);
    if (hint !== undefined) options.note(`hint: ${hint}`);
    return null;
  }
  let lines = window.lines;
  let pending: Buffer | undefined;
  if (options.follow) {
    if (await endsMidLine(file.path, window.size)) pending = Buffer.from(lines.at(-1) ?? "");
    const complete = pending === undefined ? lines : lines.slice(0, -1);
    lines = options.lines === 0 ? [] : complete.slice(-options.lines);
  }
  const rotated = window.rotated;
  if (rotated !== undefined && "unread" in rotated && lines.length < options.lines) {
    const why = rotated.unread === "compressed" ? "compressed (zcat it to read them)" : "unreadable";
    options.note(`lifeguard: Showing ${lines.length} of the last ${options.lines} lines of "${file.path}": the earlier ones are in "${rotated.path}", which is ${why}`);
  }
  for (let index = 0; index < lines.length && !options.sink.closed.aborted; index += WRITE_BATCH_LINES) {
    await options.sink.write(label(file, lines.slice(index, index + WRITE_BATCH_LINES)));
  }
  return { file, from: window.size, ...(pending === undefined ? {} : { pending }) };
}

/** Raw lines for one file; with several, `name | line`, by base name when those differ, else by path. */
function labeller(files: readonly LogFile[]): (file: LogFile, lines: string[]) => string[] {
  if (files.length < 2) return (_file, lines) => lines;
  const names = files.map((file) => basename(file.path));
  const byName = new Set(names).size === names.length;
  const width = Math.max(...files.map((file) => (byName ? basename(file.path) : file.path).length));
  return (file, lines) => {
    const prefix = `${(byName ? basename(file.path) : file.path).padEnd(width)} | `;
    return lines.map((line) => prefix + line);
  };
}
