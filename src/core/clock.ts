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
  /** Calls `onDue` after `ms` unless the returned function is called first: a timer with no promise or error to make, for what runs every round. */
  setTimer(ms: number, onDue: () => void): () => void;
}
