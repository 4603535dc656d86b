import type { Observation } from "../core/outcome.js";
import type { Action, Decision, ServiceEvent } from "../core/policy.js";
import { settleRestart } from "../core/settle-restart.js";
import { captureBeforeStop } from "./capture-before-stop.js";
import { restartService, type StepRecord } from "./restart-sequence.js";
import { announceQueued, roundAlerts } from "./round-alerts.js";
import { eventsOf, log, logEvent } from "./round-log.js";
import type { EngineDeps, ServiceParts } from "./service-parts.js";
import { report, type ServiceReport } from "./service-report.js";

export type RestartAction = Extract<Action, { type: "restart" }>;

/**
 * Commits a round's decision (next state, events, their alerts) before anything is done about it,
 * so that a kill -9 mid-restart leaves the attempt counted; then logs its events, which it returns.
 */
export function commitDecision(parts: ServiceParts, deps: EngineDeps, decision: Decision, observations: Observation[], now: number): ServiceEvent[] {
  const { config } = parts;
  const events = eventsOf(decision.actions);
  const alerts = roundAlerts(events, config, observations, decision.state, deps.alerts);
  announceQueued(deps.store.commitRound(config.name, { state: decision.state, events, alerts, checkedAt: now }).alerts, deps.alerts);
  events.forEach((event) => logEvent(deps, parts, event));
  return events;
}

/**
 * Carries out the restart a committed decision asked for (stop, kill, start, verify), then settles
 * it and records it with the round's evidence, in one transaction with its events and alerts.
 * The caller holds the service's lock.
 */
export async function carryOutRestart(parts: ServiceParts, deps: EngineDeps, round: { observations: Observation[]; decision: Decision; events: ServiceEvent[]; restart: RestartAction }): Promise<ServiceReport> {
  const { config } = parts;
  const { observations, decision, events, restart } = round;
  const startedAt = deps.clock.now();
  const onStep = (step: StepRecord): void => log(deps, parts, step.ok ? "INFO" : "WARN", `Restart step ${step.step}: ${step.summary}`);
  // A hang's evidence dies with its processes: taken before the stop.
  const forensics = await captureBeforeStop(parts, restart.evidence, deps.signal);
  if (forensics !== null) onStep(forensics);
  const sequence = await restartService(
    { name: config.name, runner: parts.runner, checks: parts.checks },
    { ...config.restart, startupGraceMs: config.policy.startupGraceMs },
    { clock: deps.clock, signal: deps.signal, onStep },
  );
  const outcome = forensics === null ? sequence : { ...sequence, steps: [forensics, ...sequence.steps] };
  const finishedAt = deps.clock.now();
  const result = { ok: outcome.ok, summary: outcome.summary, ...(forensics?.ok === true ? { forensics: forensics.summary } : {}) };
  const settled = settleRestart(decision.state, result, finishedAt, config.policy, config.name);
  const settledEvents = eventsOf(settled.actions);
  // The evidence is every observation of the round, passing ones too: the log's last matching
  // lines explain a stale log as much as its age does.
  const committed = deps.store.commitRound(config.name, {
    state: settled.state,
    events: settledEvents,
    alerts: roundAlerts(settledEvents, config, observations, settled.state, deps.alerts),
    checkedAt: finishedAt,
    restart: {
      service: config.name, startedAt, finishedAt, reason: restart.reason, attempt: restart.attempt, max: restart.max,
      ok: outcome.ok, summary: outcome.summary, evidence: observations, steps: outcome.steps,
    },
  });
  announceQueued(committed.alerts, deps.alerts);
  settledEvents.forEach((event) => logEvent(deps, parts, event));
  return report(parts, observations, decision.verdict, decision.actions, outcome, [...events, ...settledEvents], settled.state);
}
