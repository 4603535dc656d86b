import type { ServiceConfig } from "../config/types.js";

/** Slack on top of the longest restart, for the checks and systemctl calls around it. */
const LOCK_SLACK_MS = 15_000;

/**
 * How long a second Lifeguard process waits for a service's lock: as long as the first can
 * take for a whole round with a restart, so it then sees the restarted service, not a stale one.
 */
export function lockWaitMs(service: ServiceConfig): number {
  const { stopTimeoutMs, killWaitMs, verifyTimeoutMs } = service.restart;
  const slowestCheck = Math.max(0, ...service.checks.map((check) => check.timeoutMs));
  return stopTimeoutMs + killWaitMs + 2 * verifyTimeoutMs + 2 * slowestCheck + LOCK_SLACK_MS;
}
