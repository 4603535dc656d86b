import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { formatSize } from "../core/duration.js";

/**
 * The most a configuration file, or a file its `${file:PATH}` names, may hold. A real one is a
 * few KiB; parsing takes memory many times the text's size, so a bigger file (a log named by
 * mistake, a generated monster) is refused before it is parsed.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** A file over the limit: its size when the system knows it (a regular file), else at least this many bytes were read. */
export class OversizeFile extends Error {
  constructor(readonly bytes: number, readonly exact: boolean, readonly maxBytes: number) {
    super(`it is ${describeSize(bytes, exact, maxBytes)}: a Lifeguard configuration is at most ${formatSize(maxBytes)}`);
    this.name = "OversizeFile";
  }
}

/**
 * The text of `path`, read no further than `maxBytes` + 1: a regular file's size is checked
 * first, and a device or pipe that never ends (`/dev/zero`) is cut there. Throws OversizeFile
 * when there is more, else what the system threw (ENOENT, EACCES, EISDIR).
 */
export function readFileUpTo(path: string, maxBytes = MAX_CONFIG_BYTES): string {
  const fd = openSync(path, "r");
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > maxBytes) throw new OversizeFile(stat.size, true, maxBytes);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) throw new OversizeFile(length, false, maxBytes);
    return buffer.toString("utf8", 0, length);
  } finally {
    closeSync(fd);
  }
}

/** `10MiB`; bytes where the rounded size would read as the limit itself; `more than` when the size is unknown. */
function describeSize(bytes: number, exact: boolean, maxBytes: number): string {
  if (!exact) return `more than ${formatSize(maxBytes)}`;
  return formatSize(bytes) === formatSize(maxBytes) ? `${bytes} bytes` : formatSize(bytes);
}
