import { trackAlertOnly, type AlertOnlyRound } from "./alert-only.js";
import { eventAction, HEALTHY, statusOfHealth } from "./decision-parts.js";
import { formatDuration } from "./duration.js";
import { elapsedSince } from "./elapsed.js";
import { failRound } from "./fail-round.js";
import type { Observation } from "./outcome.js";
import { interruptedSummary, plural, recoveredMessage, resetCommand, summarise, unobservedVerdict } from "./policy-messages.js";
import type { Action, Decision, PolicySettings, Verdict } from "./policy.js";
import { isRearmDue, rearm } from "./rearm.js";
import { settleRestart } from "./settle-restart.js";
import type { Health, ServiceState, UnobservedCheck } from "./state.js";
import { trackUnobserved, type UnobservedRound } from "./track-unobserved.js";
import { controlCommand, endPauseIfDue, type ServiceControl } from "./control.js";
import { judgingAt } from "./schedule/schedule-now.js";

/**
 * One round of the policy: the service's state, this round's observations and the time in;
 * the next state, the actions to carry out and a verdict out. Pure: the engine does the rest.
 * The transition table is in docs/policy.md.
 */
export function decide(state: ServiceState, reported: Observation[], now: number, policy: PolicySettings, service: string): Decision {
  // A human stopped it: nothing to judge, nothing to restart or alert on, until it is started.
  if (state.control?.kind === "stopped") return stoppedRound(state, state.control, now, service, policy.cliAddress);
  // Outside its active windows (market hours), or in the grace of their opening: not judged at all.
  const judging = judgingAt(policy.schedule?.active ?? [], now, policy.startupGraceMs);
  if (!judging.judged) return { state, actions: [], verdict: { status: statusOfHealth(state.health), why: `"${service}" is not judged: ${judging.why}` } };
  // A check outside its own active windows did not look: no evidence, no news.
  const observations = reported.filter((o) => o.unjudged !== true);
  // A check that cannot look (its log is unreadable) is no evidence either: only announced.
  const unobserved = trackUnobserved(state.unobserved ?? {}, observations, now, service);
  const observable = observations.filter((o) => o.unobservable !== true);
  // No observation is no evidence: nothing passes, nothing fails, nothing changes.
  if (observable.length === 0) {
    const why = observations.length > 0 ? `Nothing to judge "${service}" by, state unchanged`
      : reported.length > 0 ? `Nothing to judge "${service}" by: ${summarise(reported)}` : `No checks ran for "${service}": nothing to judge, state unchanged`;
    const round = { state, actions: [], verdict: { status: statusOfHealth(state.health), why } };
    return finish([], round, { since: state.alertOnlySince ?? {}, actions: [], failing: [] }, unobserved);
  }
  const alertOnly = trackAlertOnly(state.alertOnlySince ?? {}, observable, now, service);
  const failing = observable.filter((o) => !o.ok && !o.alertOnly);
  let current = withAlertOnlySince(state, keepUnobserved(state.alertOnlySince ?? {}, alertOnly.since, unobserved.checks));
  const before: Action[] = [];

  // Still `restarting` at the start of a round: the Lifeguard process that restarted it died first.
  if (current.health.kind === "restarting") {
    const settled = settleRestart(current, { ok: false, summary: interruptedSummary(service) }, now, policy, service);
    current = settled.state;
    before.push(...settled.actions);
  }
  const pauseEnded = endPauseIfDue(current, now, service);
  if (pauseEnded !== null) {
    current = pauseEnded.state;
    before.push(...pauseEnded.actions);
  }
  if (current.health.kind === "gave-up") {
    if (!isRearmDue(current.health.since, now, policy)) return finish(before, gaveUpRound(current, current.health, failing, now, policy, service), alertOnly, unobserved);
    const rearmed = rearm(current, current.health.since, now, policy, service);
    current = rearmed.state;
    before.push(...rearmed.actions);
  }
  if (failing.length === 0) {
    const blind = unobserved.checks.some((o) => !o.alertOnly);
    return finish(before, blind ? partialPassRound(current, observable.length) : passRound(current, observable.length, now, policy, service), alertOnly, unobserved);
  }
  // The grace spares a fresh start its old stale log, not a service that is not running at all.
  const certain = failing.filter((observation) => observation.conclusive === true);
  if (isInGrace(current, now, policy) && certain.length === 0) return finish(before, graceRound(current, failing, now, policy), alertOnly, unobserved);
  return finish(before, failRound(current, isInGrace(current, now, policy) ? certain : failing, now, policy, service), alertOnly, unobserved);
}

/** Stopped by a human: the state stays as it is, whatever the checks say. */
function stoppedRound(state: ServiceState, control: Extract<ServiceControl, { kind: "stopped" }>, now: number, service: string, address: readonly string[]): Decision {
  const why = `"${service}" is stopped, by ${control.by} ${formatDuration(elapsedSince(control.since, now))} ago: not judged until "${controlCommand("start", service, address)}"`;
  return { state, actions: [], verdict: { status: "stopped", why } };
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
  // An acknowledgement is of one incident: it ends with it.
  const { acknowledged: _ended, ...rest } = state;
  return {
    state: { ...rest, health: HEALTHY, healthySince, incidentSince: null, backoffStep: stable ? 0 : state.backoffStep },
    actions,
    verdict: { status: "healthy", why: checks === 1 ? "The check passes" : `All ${checks} checks pass` },
  };
}

/**
 * The checks that observe pass, but a counted one cannot look: nothing counts as failing, yet
 * the service is not known to be well, so an open incident stays open (no `recovered`) and no
 * stable period begins or resets the backoff.
 */
function partialPassRound(state: ServiceState, checks: number): Decision {
  return { state: { ...state, health: HEALTHY }, actions: [], verdict: { status: "healthy", why: checks === 1 ? "The check that observes passes" : `All ${checks} checks that observe pass` } };
}

const isInGrace = (state: ServiceState, now: number, policy: PolicySettings): boolean =>
  state.lastStartAt !== null && elapsedSince(state.lastStartAt, now) < policy.startupGraceMs;

/** A freshly started service is not judged by its old stale log: failures do not count yet. */
function graceRound(state: ServiceState, failing: readonly Observation[], now: number, policy: PolicySettings): Decision {
  const elapsed = formatDuration(elapsedSince(state.lastStartAt ?? now, now));
  const why = `Not counting ${plural(failing.length, "failing check")} within the startup grace ` +
    `(${elapsed} of ${formatDuration(policy.startupGraceMs)} since the last start): ${summarise(failing)}`;
  const startedAt = state.lastStartAt ?? now;
  const heldBack = { by: "startup-grace" as const, until: startedAt + policy.startupGraceMs, startedAt, reason: summarise(failing) };
  return { state: { ...state, healthySince: null }, actions: [], verdict: { status: "grace", why, heldBack } };
}

/** Gave up: nothing is restarted whatever the checks say, until a reset or the rearm. */
function gaveUpRound(
  state: ServiceState, health: Extract<Health, { kind: "gave-up" }>, failing: readonly Observation[], now: number, policy: PolicySettings, service: string,
): Decision {
  const checksNow = failing.length === 0 ? "its checks pass now" : `still failing: ${summarise(failing)}`;
  const rearmIn = policy.rearmAfterMs === null ? "" : `; re-arms by itself in ${formatDuration(policy.rearmAfterMs - elapsedSince(health.since, now))}`;
  const why = `Gave up on "${service}" ${formatDuration(elapsedSince(health.since, now))} ago: ${health.reason}; ${checksNow}; ` +
    `run "${resetCommand(service, policy.cliAddress)}" once fixed${rearmIn}`;
  const healthySince = failing.length === 0 ? (state.healthySince ?? now) : null;
  return { state: { ...state, healthySince }, actions: [], verdict: { status: "gave-up", why } };
}

/** Orders the round's actions (settling and rearm first, alert-only and unobserved last) and adds them to the verdict. */
function finish(before: Action[], round: Decision, alertOnly: AlertOnlyRound, unobserved: UnobservedRound): Decision {
  return {
    state: withUnobserved(round.state, unobserved.unobserved),
    actions: [...before, ...round.actions, ...alertOnly.actions, ...unobserved.actions],
    verdict: withUnobservedVerdict(withAlertOnly(round.verdict, alertOnly.failing), unobserved.checks),
  };
}

function withAlertOnly(verdict: Verdict, failing: readonly Observation[]): Verdict {
  if (failing.length === 0) return verdict;
  if (verdict.status === "healthy") {
    return { status: "alert-only", why: `${plural(failing.length, "alert-only check")} failing, which never restarts: ${summarise(failing)}` };
  }
  return { ...verdict, why: `${verdict.why}; alert only: ${summarise(failing)}` };
}

function withUnobservedVerdict(verdict: Verdict, unobserved: readonly Observation[]): Verdict {
  if (unobserved.length === 0) return verdict;
  if (verdict.status === "healthy") return { status: "unobserved", why: unobservedVerdict(unobserved) };
  return { ...verdict, why: `${verdict.why}; cannot observe: ${summarise(unobserved)}` };
}

/** An alert-only check that cannot look keeps its place: it is not known to pass. */
function keepUnobserved(previous: Record<string, number>, since: Record<string, number>, unobserved: readonly Observation[]): Record<string, number> {
  const kept = unobserved.filter((o) => Object.hasOwn(previous, o.check)).map((o) => [o.check, previous[o.check] as number]);
  return { ...Object.fromEntries(kept), ...since };
}

/** The unobserved map is left out when empty, as the alert-only one is. */
function withUnobserved(state: ServiceState, unobserved: Record<string, UnobservedCheck>): ServiceState {
  const { unobserved: previous, ...rest } = state;
  if (Object.keys(unobserved).length > 0) return { ...rest, unobserved };
  return previous === undefined ? state : rest;
}

/** The alert-only map is left out when empty, so a steady healthy round returns its state unchanged. */
function withAlertOnlySince(state: ServiceState, since: Record<string, number>): ServiceState {
  const { alertOnlySince: _previous, ...rest } = state;
  return Object.keys(since).length === 0 ? rest : { ...rest, alertOnlySince: since };
}
