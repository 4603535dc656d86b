import { readTailLines, type TailResult } from "./tail-lines.js";

/** Where the last read of a log ended: its file, and the bytes of it already read. */
export interface ReadMark {
  dev: number;
  ino: number;
  offset: number;
}

/** What the log gained since `ReadMark`, and where this read ended. */
export interface NewLines {
  /** Oldest first; at most `maxLines`, the newest. */
  lines: string[];
  /** Wall time (ms) the file was last written: none of the new lines is younger. */
  mtimeMs: number;
  /** More was written than `maxLines` lines (or the scan's byte budget): the oldest new lines were skipped. */
  readCapReached: boolean;
  /** How the read began: at the mark, at the start of a new file under the name (rotation, truncation), or at the tail of a log never read. */
  from: "mark" | "new-file" | "tail";
  mark: ReadMark;
}

/**
 * Reads the lines a log gained since `mark`, backwards from its end and no further back than the
 * mark (tail-lines.ts: bounded, never the whole file). Without a mark, the last `maxLines` lines.
 * Another file under the name, or one shorter than the mark (rotated, truncated), is read from its
 * start; what the old file got after the mark is not read. Rejects as readTailLines does.
 */
export async function readNewLines(path: string, mark: ReadMark | null, maxLines: number, signal: AbortSignal): Promise<NewLines> {
  // One line more than wanted tells whether there were more.
  if (mark === null) return describe(await readTailLines(path, maxLines, { signal }), "tail", maxLines);
  const read = await readTailLines(path, maxLines + 1, { signal, startAt: mark.offset });
  if (read.dev === mark.dev && read.ino === mark.ino && read.size >= mark.offset) return describe(read, "mark", maxLines);
  return describe(await readTailLines(path, maxLines + 1, { signal }), "new-file", maxLines);
}

function describe(read: TailResult, from: NewLines["from"], maxLines: number): NewLines {
  return {
    lines: read.lines.length > maxLines ? read.lines.slice(-maxLines) : read.lines,
    mtimeMs: read.mtimeMs,
    readCapReached: from !== "tail" && (read.lines.length > maxLines || read.scanCutShort),
    from,
    mark: { dev: read.dev, ino: read.ino, offset: read.size },
  };
}
