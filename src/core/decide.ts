import { trackAlertOnly, type AlertOnlyRound } from "./alert-only.js";
import { eventAction, HEALTHY, statusOfHealth } from "./decision-parts.js";
import { formatDuration } from "./duration.js";
import { elapsedSince } from "./elapsed.js";
import { failRound } from "./fail-round.js";
import type { Observation } from "./outcome.js";
import { interruptedSummary, plural, recoveredMessage, resetCommand, summarise } from "./policy-messages.js";
import type { Action, Decision, PolicySettings, Verdict } from "./policy.js";
import { isRearmDue, rearm } from "./rearm.js";
import { settleRestart } from "./settle-restart.js";
import type { Health, ServiceState } from "./state.js";

/**
 * One round of the policy: the service's state, this round's observations and the time in;
 * the next state, the actions to carry out and a verdict out. Pure: the engine does the rest.
 * The transition table is in docs/policy.md.
 */
export function decide(state: ServiceState, observations: Observation[], now: number, policy: PolicySettings, service: string): Decision {
  // No observation is no evidence: nothing passes, nothing fails, nothing changes.
  if (observations.length === 0) {
    return { state, actions: [], verdict: { status: statusOfHealth(state.health), why: `No checks ran for "${service}": nothing to judge, state unchanged` } };
  }
  const alertOnly = trackAlertOnly(state.alertOnlySince ?? {}, observations, now, service);
  const failing = observations.filter((o) => !o.ok && !o.alertOnly);
  let current = withAlertOnlySince(state, alertOnly.since);
  const before: Action[] = [];

  // Still `restarting` at the start of a round: the Lifeguard process that restarted it died first.
  if (current.health.kind === "restarting") {
    const settled = settleRestart(current, { ok: false, summary: interruptedSummary(service) }, now, policy, service);
    current = settled.state;
    before.push(...settled.actions);
  }
  if (current.health.kind === "gave-up") {
    if (!isRearmDue(current.health.since, now, policy)) return finish(before, gaveUpRound(current, current.health, failing, now, policy, service), alertOnly);
    const rearmed = rearm(current, current.health.since, now, policy, service);
    current = rearmed.state;
    before.push(...rearmed.actions);
  }
  if (failing.length === 0) return finish(before, passRound(current, observations.length, now, policy, service), alertOnly);
  // The grace spares a fresh start its old stale log, not a service that is not running at all.
  const certain = failing.filter((observation) => observation.conclusive === true);
  if (isInGrace(current, now, policy) && certain.length === 0) return finish(before, graceRound(current, failing, now, policy), alertOnly);
  return finish(before, failRound(current, isInGrace(current, now, policy) ? certain : failing, now, policy, service), alertOnly);
}

/** Every counted check passed: healthy again, closing an open incident; a long enough run resets the backoff. */
function passRound(state: ServiceState, checks: number, now: number, policy: PolicySettings, service: string): Decision {
  const healthySince = state.healthySince ?? now;
  const stable = elapsedSince(healthySince, now) >= policy.backoff.resetAfterMs;
  const actions: Action[] = [];
  if (state.incidentSince !== null) {
    const durationMs = elapsedSince(state.incidentSince, now);
    actions.push(eventAction("recovered", now, recoveredMessage(service, durationMs), { incidentSince: state.incidentSince, durationMs }));
  }
  return {
    state: { ...state, health: HEALTHY, healthySince, incidentSince: null, backoffStep: stable ? 0 : state.backoffStep },
    actions,
    verdict: { status: "healthy", why: checks === 1 ? "The check passes" : `All ${checks} checks pass` },
  };
}

const isInGrace = (state: ServiceState, now: number, policy: PolicySettings): boolean =>
  state.lastStartAt !== null && elapsedSince(state.lastStartAt, now) < policy.startupGraceMs;

/** A freshly started service is not judged by its old stale log: failures do not count yet. */
function graceRound(state: ServiceState, failing: readonly Observation[], now: number, policy: PolicySettings): Decision {
  const elapsed = formatDuration(elapsedSince(state.lastStartAt ?? now, now));
  const why = `Not counting ${plural(failing.length, "failing check")} within the startup grace ` +
    `(${elapsed} of ${formatDuration(policy.startupGraceMs)} since the last start): ${summarise(failing)}`;
  return { state: { ...state, healthySince: null }, actions: [], verdict: { status: "grace", why } };
}

/** Gave up: nothing is restarted whatever the checks say, until a reset or the rearm. */
function gaveUpRound(
  state: ServiceState, health: Extract<Health, { kind: "gave-up" }>, failing: readonly Observation[], now: number, policy: PolicySettings, service: string,
): Decision {
  const checksNow = failing.length === 0 ? "its checks pass now" : `still failing: ${summarise(failing)}`;
  const rearmIn = policy.rearmAfterMs === null ? "" : `; re-arms by itself in ${formatDuration(policy.rearmAfterMs - elapsedSince(health.since, now))}`;
  const why = `Gave up on "${service}" ${formatDuration(elapsedSince(health.since, now))} ago: ${health.reason}; ${checksNow}; ` +
    `run "${resetCommand(service)}" once fixed${rearmIn}`;
  const healthySince = failing.length === 0 ? (state.healthySince ?? now) : null;
  return { state: { ...state, healthySince }, actions: [], verdict: { status: "gave-up", why } };
}

/** Orders the round's actions (settling and rearm first, alert-only last) and mentions alert-only failures in the verdict. */
function finish(before: Action[], round: Decision, alertOnly: AlertOnlyRound): Decision {
  return { state: round.state, actions: [...before, ...round.actions, ...alertOnly.actions], verdict: withAlertOnly(round.verdict, alertOnly.failing) };
}

function withAlertOnly(verdict: Verdict, failing: readonly Observation[]): Verdict {
  if (failing.length === 0) return verdict;
  if (verdict.status === "healthy") {
    return { status: "alert-only", why: `${plural(failing.length, "alert-only check")} failing, which never restarts: ${summarise(failing)}` };
  }
  return { ...verdict, why: `${verdict.why}; alert only: ${summarise(failing)}` };
}

/** The alert-only map is left out when empty, so a steady healthy round returns its state unchanged. */
function withAlertOnlySince(state: ServiceState, since: Record<string, number>): ServiceState {
  const { alertOnlySince: _previous, ...rest } = state;
  return Object.keys(since).length === 0 ? rest : { ...rest, alertOnlySince: since };
}
