/**
 * How long each thread of a service has been in uninterruptible sleep (`D`), from the looks the
 * daemon takes: pure, times as plain numbers. A thread seen in `D` at two consecutive looks counts
 * as in `D` all the time between them (sampling: a thread that left `D` and came back between two
 * looks is not told apart); one not in `D` at a look starts again from zero.
 */

/** Since when (ms on a monotonic clock) each thread now in `D` has been seen there at every look, by a key naming the thread (tid and start time: tids are reused). */
export type StuckSince = ReadonlyMap<string, number>;

/** The threads in `D` at the look at `at` (`inD`, by key), each since when it has been seen there. */
export function trackStuck(before: StuckSince, inD: Iterable<string>, at: number): Map<string, number> {
  const since = new Map<string, number>();
  for (const key of inD) since.set(key, before.get(key) ?? at);
  return since;
}

/** The thread in `D` the longest at `at`, and for how long (ms); null when none is. */
export function longestStuck(since: StuckSince, at: number): { key: string; forMs: number } | null {
  let longest: { key: string; forMs: number } | null = null;
  for (const [key, from] of since) if (longest === null || at - from > longest.forMs) longest = { key, forMs: at - from };
  return longest;
}
