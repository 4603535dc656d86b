import { formatDuration } from "../core/duration.js";
import type { HeldBack } from "../core/policy.js";
import { formatLocalClock } from "../process/local-time.js";

/**
 * The log line that says why a failing service is not restarted yet and when that ends, as the
 * daemon logs it once per wait (`heldBackKey`): `In startup grace until 12:00:41 (started 19s
 * ago): not counting Log file is stale (45s old)`.
 */
export function describeHeldBack(heldBack: HeldBack, now: number, intervalMs: number): string {
  const when = (at: number) => formatLocalClock(at, now);
  switch (heldBack.by) {
    case "startup-grace":
      return `In startup grace until ${when(heldBack.until)} (started ${formatDuration(Math.max(0, now - heldBack.startedAt))} ago): not counting ${heldBack.reason}`;
    case "threshold":
      return `${heldBack.rounds} of ${heldBack.threshold} failing rounds: ${heldBack.reason}; restarted if it still fails at the next round, by ${when(now + intervalMs)}`;
    case "backoff":
      return `Restart waits for the backoff until ${when(heldBack.until)} (${formatDuration(heldBack.delayMs)} after the last restart): ${heldBack.reason}`;
    case "quiet":
      return `Restart held back: ${heldBack.why}: ${heldBack.reason}`;
  }
}

/** The same wait gives the same key: a wait is announced once, a new one (another grace, one more round) again. */
export function heldBackKey(heldBack: HeldBack): string {
  return heldBack.by === "threshold" ? `threshold:${heldBack.rounds}` : `${heldBack.by}:${heldBack.until}`;
}
