import { formatDuration } from "../core/duration.js";
import type { LogTag } from "../core/logger.js";
import type { Outcome } from "../core/outcome.js";

/** What the dead-man's switch knows from its last rounds: enough to log each change once. */
export interface DeadmanState {
  /** Whether the last request reached the monitor; null before the first. */
  reaching: boolean | null;
  /** Requests are skipped while Lifeguard is unhealthy. */
  paused: boolean;
}

/** One round of the switch: skipped (Lifeguard is unhealthy, and why), or a request sent and its outcome. */
export type DeadmanRound = { kind: "skipped"; reason: string } | { kind: "sent"; outcome: Outcome };

/** A line for the watchdog log. */
export interface DeadmanNote {
  tag: LogTag;
  message: string;
}

export const INITIAL_DEADMAN_STATE: DeadmanState = { reaching: null, paused: false };

/**
 * The next state and what to log: only changes are logged (the first answer, a failure, the
 * recovery, a pause, the resume), never every interval. Pure; the origin is all it shows of the URL.
 */
export function noteDeadmanRound(state: DeadmanState, round: DeadmanRound, context: { origin: string; intervalMs: number }): { state: DeadmanState; notes: DeadmanNote[] } {
  const origin = `"${context.origin}"`;
  if (round.kind === "skipped") {
    const notes: DeadmanNote[] = state.paused ? [] : [{ tag: "WARN", message: `Dead-man's switch paused as Lifeguard is unhealthy: ${round.reason}; ${origin} hears nothing until it recovers` }];
    return { state: { ...state, paused: true }, notes };
  }
  const notes: DeadmanNote[] = state.paused ? [{ tag: "INFO", message: "Dead-man's switch resumed: Lifeguard is healthy again" }] : [];
  const { outcome } = round;
  if (outcome.ok && state.reaching === null) notes.push({ tag: "INFO", message: `Dead-man's switch reaches ${origin}: one request every ${formatDuration(context.intervalMs)} while Lifeguard is healthy` });
  if (outcome.ok && state.reaching === false) notes.push({ tag: "INFO", message: `Dead-man's switch reaches ${origin} again` });
  if (!outcome.ok && state.reaching !== false) notes.push({ tag: "ERROR", message: `${outcome.summary}; trying again every ${formatDuration(context.intervalMs)}, logged again once it works` });
  return { state: { reaching: outcome.ok, paused: false }, notes };
}
