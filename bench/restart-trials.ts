import type { Daemon, DaemonEntry, HistoryEntry } from "./daemon-lab.js";

/** Longest a restart may take, from the decision to its verified end (stop, kill, start, verify). */
const RESTART_TIMEOUT_MS = 20_000;

/** What the daemon's restart history says about one restart: when it was decided and what its steps took. */
export interface RestartTiming {
  startedAt: number;
  stopMs: number;
  killMs: number;
  startMs: number;
}

/**
 * Waits until the daemon logged the end of a restart at or after `since` (wall ms): a moment
 * before the restart was decided (the freeze, the kill), not the new bot's first line, which a
 * slow start-up (a loaded machine) can put after the daemon's verification. Throws if it failed.
 */
export async function waitForRestarted(daemon: Daemon, since: number): Promise<DaemonEntry> {
  const ended = await daemon.waitForEntry((entry) => (entry.data.event === "restarted" || entry.data.event === "restart-failed") && entry.at >= Math.floor(since), RESTART_TIMEOUT_MS, "end of the restart");
  if (ended.data.event !== "restarted") throw new Error(`The restart failed: ${ended.message}`);
  return ended;
}

/** The restart decided between `from` and `to` (wall ms), from `lifeguard history --json`. */
export function restartBetween(history: HistoryEntry[], from: number, to: number): RestartTiming | null {
  for (const entry of history) {
    const restart = entry.restart;
    if (entry.type !== "restart" || restart === undefined || restart.startedAt < Math.floor(from) || restart.startedAt > to) continue;
    const step = (name: string): number => restart.steps.find((s) => s.step === name)?.durationMs ?? Number.NaN;
    return { startedAt: restart.startedAt, stopMs: step("stop"), killMs: step("kill"), startMs: step("start") };
  }
  return null;
}

/** The first log entry `match` accepts logged between `from` and `to` (wall ms; the log has ms resolution). */
export function entryBetween(entries: DaemonEntry[], from: number, to: number, match: (entry: DaemonEntry) => boolean): DaemonEntry | null {
  return entries.find((entry) => entry.at >= Math.floor(from) && entry.at <= Math.ceil(to) && match(entry)) ?? null;
}

/** A random wait in [min, max) ms, so trials do not fall at one phase of the bot's or the daemon's timers. */
export function randomBetween(min: number, max: number): number {
  return min + Math.random() * (max - min);
}

/** The items in a random order (Fisher–Yates), so peers take turns without one always going first. */
export function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
