import { backoffDelay } from "./backoff.js";
import { eventAction } from "./decision-parts.js";
import { elapsedSince } from "./elapsed.js";
import type { Observation } from "./outcome.js";
import {
  attemptOf, backoffMessage, quietHoldMessage, checkIds, describeRounds, failingMessage, gaveUpHint, gaveUpMessage, plural,
  resetCommand, restartMessage, summarise,
} from "./policy-messages.js";
import type { Action, Decision, PolicySettings } from "./policy.js";
import { formatDuration } from "./duration.js";
import { pausedWhy } from "./control.js";
import { recordRestart, restartsInWindow } from "./restart-limit.js";
import { quietAt } from "./schedule/schedule-now.js";
import type { Health, ServiceState } from "./state.js";

type Failing = Extract<Health, { kind: "failing" }>;

/** What a counted failing round knows, shared by its outcomes. */
interface FailingRound {
  state: ServiceState;
  failing: readonly Observation[];
  health: Failing;
  /** `2 of 2 failing rounds: Log file is stale (6m old)`: the start of every verdict. */
  counting: string;
  actions: Action[];
  now: number;
  policy: PolicySettings;
  service: string;
}

/**
 * A round with counted failures outside the startup grace, from `healthy` or `failing`.
 * Below the threshold it only counts (unless a failure is conclusive: the service is not running); at the threshold, in this order: the restart limit
 * (give up), the backoff (wait), else restart.
 */
export function failRound(state: ServiceState, failing: readonly Observation[], now: number, policy: PolicySettings, service: string): Decision {
  const prior = state.health.kind === "failing" ? state.health : null;
  const health: Failing = { kind: "failing", since: prior?.since ?? now, rounds: (prior?.rounds ?? 0) + 1, reason: summarise(failing) };
  const actions = prior === null
    ? [eventAction("failing", now, failingMessage(service, failing), { rounds: health.rounds, threshold: policy.failureThreshold, checks: failing.map((o) => o.check) })]
    : [];
  const counting = `${describeRounds(health.rounds, policy.failureThreshold)}: ${health.reason}`;
  // A service that is not running at all is no flaky probe: it is answered in this round.
  const certain = failing.some((observation) => observation.conclusive === true);
  if (health.rounds < policy.failureThreshold && !certain) {
    const heldBack = { by: "threshold" as const, rounds: health.rounds, threshold: policy.failureThreshold, reason: health.reason };
    return { state: { ...state, health, healthySince: null }, actions, verdict: { status: "failing", why: counting, heldBack } };
  }
  // Paused by a human: counted and shown, but not acted upon (no restart, no incident, no limit).
  if (state.control?.kind === "paused") {
    return { state: { ...state, health, healthySince: null }, actions, verdict: { status: "paused", why: `${counting}; ${pausedWhy(state.control, now, service, policy.cliAddress)}` } };
  }
  // The problem is confirmed: an incident opens, dated from its first failing round.
  const backoffStep = ranStably(state, health, policy) ? 0 : state.backoffStep;
  const confirmed = { ...state, backoffStep, healthySince: null, incidentSince: state.incidentSince ?? health.since };
  const round: FailingRound = { state: confirmed, failing, health, counting, actions, now, policy, service };
  // A quiet window (the broker's nightly maintenance): recorded and alerted, not restarted, nothing counted against the limit.
  const quiet = quietAt(policy.schedule?.quiet ?? [], now) ?? checksQuiet(failing);
  if (quiet !== null) return holdForQuiet(round, prior, quiet);
  const inWindow = restartsInWindow(state.restarts, now, policy.limit.perMs).length;
  if (inWindow >= policy.limit.max) return giveUp(round, inWindow);
  const delayMs = backoffDelay(backoffStep, policy.backoff);
  const last = state.restarts.at(-1);
  const remainingMs = last === undefined ? 0 : Math.max(0, delayMs - elapsedSince(last, now));
  if (remainingMs > 0) return waitForBackoff(round, prior, remainingMs, delayMs);
  return restart(round, inWindow + 1);
}

/**
 * Supervisor mode's `min-uptime`: a start is stable once the service ran that long before its
 * problem began, so a crash after a good run is answered at once, without the backoff.
 */
function ranStably(state: ServiceState, health: Failing, policy: PolicySettings): boolean {
  const { minUptimeMs } = policy.backoff;
  return minUptimeMs !== null && state.lastStartAt !== null && elapsedSince(state.lastStartAt, health.since) >= minUptimeMs;
}

function giveUp({ state, health, counting, actions, now, policy, service }: FailingRound, restarts: number): Decision {
  const { max, perMs } = policy.limit;
  const message = gaveUpMessage(service, restarts, max, perMs);
  const event = eventAction("gave-up", now, message, {
    restarts, max, perMs, failing: health.reason, manualIntervention: true, resetCommand: resetCommand(service, policy.cliAddress),
    hint: gaveUpHint(service, policy), rearmAt: policy.rearmAfterMs === null ? null : now + policy.rearmAfterMs,
  });
  return {
    state: { ...state, health: { kind: "gave-up", since: now, reason: message } },
    actions: [...actions, event],
    verdict: { status: "gave-up", why: `${counting}; ${message}` },
  };
}

function waitForBackoff(round: FailingRound, prior: Failing | null, remainingMs: number, delayMs: number): Decision {
  const { state, health, counting, now, service } = round;
  const step = state.backoffStep;
  // Announced when the wait begins, not every round of it.
  const entering = prior?.backoffUntil === undefined;
  const event = eventAction("backoff", now, backoffMessage(service, remainingMs, delayMs, step), { step, delayMs, remainingMs, until: now + remainingMs });
  return {
    state: { ...state, health: { ...health, backoffUntil: now + remainingMs } },
    actions: entering ? [...round.actions, event] : round.actions,
    verdict: {
      heldBack: { by: "backoff", until: now + remainingMs, delayMs, reason: health.reason },
      status: "backoff",
      why: `${counting}; restart delayed ${formatDuration(remainingMs)} more by the backoff (${formatDuration(delayMs)} after ${plural(step, "restart")} in a row)`,
    },
  };
}

/** Every failure is inside its own check's quiet window: held until the first of them ends. */
function checksQuiet(failing: readonly Observation[]): { until: number | null; why: string } | null {
  const quiet = failing.map((observation) => observation.quiet);
  if (quiet.length === 0 || quiet.some((one) => one === undefined)) return null;
  const ends = quiet.flatMap((one) => (one === undefined || one.until === null ? [] : [one.until]));
  return { until: ends.length === 0 ? null : Math.min(...ends), why: quiet.map((one) => one?.why).join("; ") };
}

function holdForQuiet(round: FailingRound, prior: Failing | null, quiet: { until: number | null; why: string }): Decision {
  const { state, health, counting, now, service } = round;
  const quietSince = prior?.quietSince ?? now;
  // Announced when the hold begins, not every round of it.
  const event = eventAction("quiet-hold", now, quietHoldMessage(service, quiet.why, health.reason), { until: quiet.until, failing: health.reason });
  return {
    state: { ...state, health: { ...health, quietSince, quietUntil: quiet.until, quietWhy: quiet.why } },
    actions: prior?.quietSince === undefined ? [...round.actions, event] : round.actions,
    verdict: { status: "failing", why: `${counting}; restart held back: ${quiet.why}`, heldBack: { by: "quiet", until: quiet.until, why: quiet.why, reason: health.reason } },
  };
}

function restart({ state, failing, health, counting, actions, now, policy, service }: FailingRound, attempt: number): Decision {
  const { max, perMs } = policy.limit;
  const checks = checkIds(failing);
  return {
    state: {
      ...state,
      health: { kind: "restarting", since: now, reason: checks },
      restarts: recordRestart(state.restarts, now, perMs),
      // Counted when decided, so a failed or interrupted restart also makes the next one wait.
      backoffStep: state.backoffStep + 1,
    },
    actions: [
      ...actions,
      eventAction("restart", now, restartMessage(service, attempt, max, perMs, health.reason), { attempt, max, perMs, checks, backoffStep: state.backoffStep }),
      { type: "restart", reason: health.reason, attempt, max, evidence: [...failing] },
    ],
    verdict: { status: "restart", why: `${counting}; restart ${attemptOf(attempt, max, perMs)}` },
  };
}
