/** The part of the policy settings the backoff delay needs. */
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/**
 * How long to wait after the last restart before the next one, given `step` restarts in a row
 * without a stable period between them: 0 → none (a crash after a stable period is answered at
 * once), 1 → `initialMs`, 2 → twice that, ... capped at `maxMs`.
 */
export function backoffDelay(step: number, { initialMs, maxMs }: BackoffSettings): number {
  if (!(step >= 1)) return 0;
  return Math.min(maxMs, initialMs * 2 ** (step - 1));
}
