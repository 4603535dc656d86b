import { closeSync, openSync, readSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** How much of the end of a dump is kept. */
export const DUMP_TAIL_BYTES = 16 * 1024;
const POLL_MS = 20;
/** A dump is read once it stopped growing for this long (a bot writes it thread by thread). */
const SETTLED_MS = 100;

/** The end of the dump a bot wrote, or why there is none. */
export type Dump = { file: string; text: string } | { file: string; problem: string };

/**
 * Sends `signal` to process `pid` (the service's main process, by pid) and waits, at most
 * `timeoutMs`, for it to write `file` (Python's faulthandler, a bot's own handler): the end of
 * what it wrote once the file stopped growing, or why nothing came.
 */
export async function requestDump(pid: number, signal: NodeJS.Signals, file: string, timeoutMs: number): Promise<Dump> {
  const before = stamp(file);
  try {
    process.kill(pid, signal);
  } catch (error) {
    return { file, problem: `cannot send ${signal} to PID ${pid}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const deadline = Date.now() + timeoutMs;
  let last = before;
  let stableSince: number | null = null;
  while (Date.now() < deadline) {
    await sleep(POLL_MS);
    const now = stamp(file);
    if (now !== null && now !== before) {
      if (now === last) stableSince ??= Date.now();
      else stableSince = null;
      if (stableSince !== null && Date.now() - stableSince >= SETTLED_MS) break;
    }
    last = now;
  }
  if (last === null || last === before) return { file, problem: `nothing was written to it within ${timeoutMs} ms of ${signal}` };
  return { file, text: readTail(file) };
}

/** Size and modification time: what changes when the bot writes. */
function stamp(file: string): string | null {
  try {
    const stats = statSync(file);
    return `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return null;
  }
}

function readTail(file: string): string {
  const fd = openSync(file, "r");
  try {
    const size = statSync(file).size;
    const length = Math.min(size, DUMP_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}
