import { formatLocalTime } from "../process/local-time.js";
import type { CliIo } from "./io.js";
import { withShutdownSignal } from "./shutdown-signal.js";

/** Clears a terminal and puts the cursor home: each frame replaces the last, as `watch` does. */
const CLEAR = "\u001b[H\u001b[2J";

/**
 * Shows `render()` again every `intervalMs` until SIGINT, SIGTERM, `q` or its reader leaving (`| head`): on a terminal each frame
 * replaces the last under a line saying when it was drawn; in a pipe the frames follow one another,
 * each under that line. Resolves with 0: leaving a live view is no failure.
 */
export async function watchLoop(render: () => Promise<string>, options: { intervalMs: number; title: string }, io: CliIo): Promise<number> {
  return withShutdownSignal(async (shutdown) => {
    const quit = new AbortController();
    const unsubscribe = io.onKey?.((key) => {
      // q, Q, Ctrl-C (raw mode turns it into a key), Escape.
      if (key === "q" || key === "Q" || key === "\u0003" || key === "\u001b") quit.abort();
    });
    // A reader that left (EPIPE) ends the view; kept for the process's life, as a queued write may fail later.
    io.stdoutStream?.on("error", () => quit.abort());
    const stop = AbortSignal.any([shutdown, quit.signal]);
    try {
      while (!stop.aborted) {
        const frame = await render();
        if (stop.aborted) break;
        const heading = `Every ${Math.round(options.intervalMs / 100) / 10}s: ${options.title} · ${formatLocalTime(Date.now())}${io.onKey === undefined ? "" : " · q quits"}`;
        io.stdout(io.isTty === true ? `${CLEAR}${heading}\n\n${frame}` : `${heading}\n\n${frame}\n`);
        await sleep(options.intervalMs, stop);
      }
      return 0;
    } finally {
      unsubscribe?.();
    }
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
