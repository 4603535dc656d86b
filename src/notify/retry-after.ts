import { backoffDelay, type BackoffSettings } from "../core/backoff.js";

/**
 * HTTP's `Retry-After` (RFC 9110 §10.2.3) in ms from `now`: delay-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`). undefined when absent or unreadable; a date in
 * the past is 0 (retry now).
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // A date names its day and month; without a letter it is a malformed number (`1.5`, `-3`), not a date.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A receiver's wait is never shorter than this: an answer of `0` must not make a busy loop. */
export const RETRY_AFTER_FLOOR_MS = 1000;

/**
 * How long a channel waits after a failed attempt, its `attempts`-th in a row: the receiver's
 * own wait when it named one (Telegram's `retry_after`, HTTP's `Retry-After`), at least
 * RETRY_AFTER_FLOOR_MS and at most `maxMs` (a later try at worst earns another wait); else the
 * doubling backoff from `initialMs`.
 */
export function retryDelay(attempts: number, retryAfterMs: number | undefined, retry: BackoffSettings): number {
  if (retryAfterMs === undefined) return backoffDelay(attempts, retry);
  return Math.min(retry.maxMs, Math.max(RETRY_AFTER_FLOOR_MS, retryAfterMs));
}
