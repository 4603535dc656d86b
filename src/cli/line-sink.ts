import type { CliIo } from "./io.js";

/** Where `logs` writes the lines it shows. */
export interface LineSink {
  /** Writes the lines, each ending in `\n`; resolves once more may be written (the reader keeps up) or the reader is gone. */
  write(lines: readonly string[]): Promise<void>;
  /** Aborts when the reader is gone (`| head` exited: EPIPE) or stdout failed otherwise; its reason is the error. */
  readonly closed: AbortSignal;
}

/**
 * The command's stdout as a line sink. A write waits for `drain` when the stream's buffer is full,
 * so a slow reader (a pager, a paused terminal) holds the follower back instead of Lifeguard
 * buffering a fast log in memory. A stream error (EPIPE) aborts `closed` and is never thrown.
 */
export function createLineSink(io: CliIo): LineSink {
  const controller = new AbortController();
  const stream = io.stdoutStream;
  if (stream === undefined) {
    return { write: async (lines) => void io.stdout(joinLines(lines)), closed: controller.signal };
  }
  // Kept for the life of the process: a write still queued when the reader left fails later too.
  stream.on("error", (error: Error) => controller.abort(error));
  const write = async (lines: readonly string[]): Promise<void> => {
    if (controller.signal.aborted || lines.length === 0) return;
    if (stream.write(joinLines(lines))) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off("drain", done);
        controller.signal.removeEventListener("abort", done);
        resolve();
      };
      stream.on("drain", done);
      controller.signal.addEventListener("abort", done, { once: true });
    });
  };
  return { write, closed: controller.signal };
}

function joinLines(lines: readonly string[]): string {
  return `${lines.join("\n")}\n`;
}
