import { lifeguardCommand } from "./cli-command.js";
import { formatDuration } from "./duration.js";
import type { Observation } from "./outcome.js";
import type { PolicySettings } from "./policy.js";

/**
 * Every sentence the policy writes, composed in one place (STYLE.md: sentence case, values
 * quoted, the failed action stated, then the current and the allowed state).
 */

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;
export const inTheLast = (perMs: number): string => `in the last ${formatDuration(perMs)}`;
export const summarise = (observations: readonly Observation[]): string => observations.map((o) => o.summary).join("; ");
export const checkIds = (observations: readonly Observation[]): string => observations.map((o) => o.check).join(", ");
/** `lifeguard reset trader -c /srv/bot/lifeguard.yaml`: the re-arm command, as it works from any directory. */
export const resetCommand = (service: string, cliAddress: readonly string[]): string => lifeguardCommand(["reset", service, ...cliAddress]);

/** `1 of 2 failing rounds`, or `3 failing rounds (threshold 2)` once past the threshold. */
export function describeRounds(rounds: number, threshold: number): string {
  return rounds <= threshold ? `${rounds} of ${threshold} failing rounds` : `${rounds} failing rounds (threshold ${threshold})`;
}

/** `1 of 3 in the last 1h`: where a restart stands against the limit. */
export const attemptOf = (attempt: number, max: number, perMs: number): string => `${attempt} of ${max} ${inTheLast(perMs)}`;

export const failingMessage = (service: string, failing: readonly Observation[]): string =>
  `"${service}" is failing: ${summarise(failing)}`;

export const restartMessage = (service: string, attempt: number, max: number, perMs: number, reason: string): string =>
  `Restarting "${service}" (${attemptOf(attempt, max, perMs)}): ${reason}`;

/** The seed's line: `"trader" restarted (reason: log-activity), 1 of 3 in the last 1h`. */
export const restartedMessage = (service: string, checks: string, attempt: number, max: number, perMs: number): string =>
  `"${service}" restarted (reason: ${checks}), ${attemptOf(attempt, max, perMs)}`;

export const restartFailedMessage = (summary: string, attempt: number, max: number, perMs: number): string =>
  `${summary} (attempt ${attemptOf(attempt, max, perMs)})`;

export const interruptedSummary = (service: string): string =>
  `Cannot tell whether "${service}" restarted as Lifeguard stopped before the restart finished`;

export const backoffMessage = (service: string, remainingMs: number, delayMs: number, step: number): string =>
  `Delaying the restart of "${service}" by ${formatDuration(remainingMs)}: ` +
  `the backoff after ${plural(step, "restart")} in a row without a stable period is ${formatDuration(delayMs)}`;

export const quietHoldMessage = (service: string, why: string, failing: string): string =>
  `Not restarting "${service}" as ${why}: ${failing}`;

/** STYLE.md's example, tested exactly. */
export const gaveUpMessage = (service: string, restarts: number, max: number, perMs: number): string =>
  `Cannot restart "${service}" as the restart limit is reached: ${plural(restarts, "restart")} ${inTheLast(perMs)} (max ${max})`;

export function gaveUpHint(service: string, policy: Pick<PolicySettings, "rearmAfterMs" | "cliAddress">): string {
  const { rearmAfterMs } = policy;
  const rearm = rearmAfterMs === null ? "" : `, or wait for the automatic re-arm after ${formatDuration(rearmAfterMs)}`;
  return `Manual intervention needed: fix the cause, then run "${resetCommand(service, policy.cliAddress)}" to re-arm automatic restarts${rearm}`;
}

/**
 * A daemon's start finds the service gave-up from before (a restart of Lifeguard does not re-arm
 * it): `"bot" gave up 11m ago and stays gave-up after this start: no automatic restart until
 * "lifeguard reset bot" re-arms it (Cannot restart "bot" as ...)`.
 */
export function staysGaveUpMessage(service: string, gaveUpAgoMs: number, reason: string, policy: Pick<PolicySettings, "rearmAfterMs" | "cliAddress">): string {
  const { rearmAfterMs } = policy;
  const rearm = rearmAfterMs === null ? "" : `, or rearm-after does in ${formatDuration(Math.max(0, rearmAfterMs - gaveUpAgoMs))}`;
  return `"${service}" gave up ${formatDuration(gaveUpAgoMs)} ago and stays gave-up after this start: ` +
    `no automatic restart until "${resetCommand(service, policy.cliAddress)}" re-arms it${rearm} (${reason})`;
}

export const recoveredMessage = (service: string, durationMs: number): string =>
  `"${service}" is healthy again after ${formatDuration(durationMs)}`;

export const alertOnlyMessage = (service: string, observation: Observation): string =>
  `"${service}" check "${observation.check}" is failing (alert only, no restart): ${observation.summary}`;

export const alertOnlyRecoveredMessage = (service: string, check: string, durationMs: number): string =>
  `"${service}" check "${check}" passes again after ${formatDuration(durationMs)}`;

export const rearmedMessage = (service: string, rearmAfterMs: number): string =>
  `Re-armed automatic restarts of "${service}" as ${formatDuration(rearmAfterMs)} (rearm-after) have passed since it gave up`;

export function resetMessage(service: string, wasGaveUp: boolean, restartsCleared: number): string {
  const cleared = `restart window (${plural(restartsCleared, "restart")}) and backoff cleared`;
  return wasGaveUp ? `Reset "${service}": automatic restarts re-armed, ${cleared}` : `Reset "${service}": ${cleared}`;
}

export const unobservedMessage = (service: string, observation: Observation): string =>
  `Cannot observe "${service}" through check "${observation.check}" (no restart until it can): ${observation.summary}`;

export const observedMessage = (service: string, observation: Observation, durationMs: number): string =>
  `Observing "${service}" through check "${observation.check}" again after ${formatDuration(durationMs)}: ${observation.summary}`;

/** The verdict of a round whose only news is checks that cannot observe. */
export const unobservedVerdict = (unobserved: readonly Observation[]): string =>
  `${plural(unobserved.length, "check")} cannot observe the service, which never restarts: ${summarise(unobserved)}`;
