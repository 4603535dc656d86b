/**
 * Restart intensity as OTP defines it: at most `max` restarts in any window of `perMs`.
 * A restart stamped after `now` (the wall clock stepped back) still counts: when the clock is
 * in doubt, Lifeguard restarts less, not more.
 */
export function restartsInWindow(restarts: readonly number[], now: number, perMs: number): number[] {
  return restarts.filter((at) => at > now - perMs);
}

/** True when one more restart at `now` would stay within the limit. */
export function isRestartAllowed(restarts: readonly number[], now: number, limit: { max: number; perMs: number }): boolean {
  return restartsInWindow(restarts, now, limit.perMs).length < limit.max;
}

/** The restart window after a restart at `now`: older entries pruned, `now` appended (the last entry is always the latest attempt). */
export function recordRestart(restarts: readonly number[], now: number, perMs: number): number[] {
  return [...restartsInWindow(restarts, now, perMs), now];
}
