/**
 * Time as an input. The core never reads the system clock; the shell passes a Clock in.
 * `now()` is wall-clock ms since the epoch (for records and file ages),
 * `monotonic()` is ms on a clock that never jumps (for intervals and timeouts).
 */
export interface Clock {
  now(): number;
  monotonic(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
