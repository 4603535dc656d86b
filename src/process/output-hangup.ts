import { fstatSync } from "node:fs";
import { findAddon, loadAddon } from "./native-addon.js";

interface HangupPoller {
  pollHangup?(fd: number): number;
}

/** How often the output is looked at: a `| head` ends the command this long after head exits, at most. */
export const HANGUP_POLL_MS = 250;

/**
 * Calls `onGone` once the reader of `fd` (a pipe or a socket this process writes to: its stdout)
 * has gone, even while nothing is written: Node sees a closed pipe only at its next write
 * (EPIPE), and a followed log may stay quiet for hours after `| head` has exited. Polls with the
 * native addon's poll(2) (`pollHangup`), until `signal` aborts. Returns null when watching, else
 * why it cannot (a terminal or a file needs no watch; the addon is not built): the next write's
 * EPIPE then ends the command.
 */
export function watchOutputHangup(fd: number, onGone: () => void, options: { signal: AbortSignal; intervalMs?: number }): string | null {
  try {
    const stats = fstatSync(fd);
    if (!stats.isFIFO() && !stats.isSocket()) return `file descriptor ${fd} is neither a pipe nor a socket`;
  } catch (error) {
    return `file descriptor ${fd} cannot be looked at: ${(error as Error).message}`;
  }
  const found = loadAddon<HangupPoller>(findAddon());
  if (!("addon" in found)) return found.reason;
  const poll = found.addon.pollHangup?.bind(found.addon);
  if (poll === undefined) return "the native module predates pollHangup (rebuild it: npm run build:native)";
  const timer = setInterval(() => {
    if (poll(fd) <= 0) return;
    clearInterval(timer);
    onGone();
  }, options.intervalMs ?? HANGUP_POLL_MS);
  // What keeps the process alive is the work the signal ends, not this watch.
  timer.unref();
  options.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  return null;
}
