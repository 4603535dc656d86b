/**
 * Milliseconds from `since` to `now`, never negative. Policy times are wall-clock times (they
 * outlive a reboot), and a wall clock can step back (a Pi without RTC before NTP): that counts
 * as no time passed, so a wait (grace, backoff, rearm, stable period) lasts longer, never ends early.
 */
export function elapsedSince(since: number, now: number): number {
  return Math.max(0, now - since);
}
