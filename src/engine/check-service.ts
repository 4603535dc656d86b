import { isDeepStrictEqual } from "node:util";
import type { Check } from "../core/check.js";
import type { Clock } from "../core/clock.js";
import type { Logger, LogTag } from "../core/logger.js";
import type { Observation } from "../core/outcome.js";
import type { Action, EventKind, ServiceEvent, Verdict } from "../core/policy.js";
import type { Runner } from "../core/runner.js";
import type { HealthKind, ServiceState } from "../core/state.js";
import type { ServiceStore } from "../core/store.js";
import type { ServiceConfig } from "../config/types.js";
import { EXIT } from "../core/errors.js";
import { decide } from "../core/decide.js";
import { settleRestart } from "../core/settle-restart.js";
import { restartService, type RestartOutcome } from "./restart-sequence.js";
import { lockWaitMs } from "./lock-wait.js";
import { announceQueued, roundAlerts, type AlertDeps } from "./round-alerts.js";
import { describeHeldBack, heldBackKey } from "./held-back-line.js";

/** A configured service with its concrete runner and checks, built by the composition root. */
export interface ServiceParts {
  config: ServiceConfig;
  runner: Runner;
  checks: Check[];
}

export interface EngineDeps {
  store: ServiceStore;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** Where alerts go; absent: no alerts (no channel configured, or a dry run). */
  alerts?: AlertDeps;
}

/** What one round did to one service: typed access for the library, the CLI and tests. */
export interface ServiceReport {
  service: string;
  observations: Observation[];
  verdict: Verdict;
  /** Actions decided this round (with `--dry-run`: what would have been done). */
  actions: Action[];
  restart: RestartOutcome | null;
  events: ServiceEvent[];
  health: HealthKind;
  /** The state the round left (with `--dry-run`: the state it would have left). */
  state: ServiceState;
  /** 0 healthy, 1 restarted successfully, 2 unhealthy and not fixed (DESIGN.md exit codes). */
  exitCode: number;
}

const EVENT_TAGS: Record<EventKind, LogTag> = {
  failing: "FAIL",
  restart: "RESTART",
  restarted: "RESTART",
  "restart-failed": "ERROR",
  backoff: "WARN",
  "gave-up": "GAVE-UP",
  recovered: "OK",
  "alert-only": "WARN",
  unobserved: "WARN",
  observed: "OK",
  rearmed: "INFO",
  reset: "INFO",
  replaced: "WARN",
  stopped: "INFO",
  started: "INFO",
  paused: "INFO",
  resumed: "INFO",
  "pause-ended": "WARN",
  acknowledged: "INFO",
  "request-failed": "ERROR",
};

/**
 * One round for one service: observe, decide under the store's lock, carry out the decided
 * restart, record everything. With `dryRun` it observes and decides but changes nothing.
 */
export interface RoundOptions {
  dryRun: boolean;
  /**
   * Log passing checks and "All health checks passed" (one-shot mode). The daemon, rounding every
   * few seconds, logs only failures and events, so its log says what changed and spares the disk.
   */
  logPassing?: boolean;
  /**
   * Try the round without the lock first (the daemon, rounding every few seconds): a round that
   * changes nothing then takes no lock and writes nothing, sparing the SD card; one that would
   * change something is run again under the lock, from fresh observations.
   */
  steadyWithoutLock?: boolean;
  /**
   * The daemon's memory of the wait it last announced (startup grace, threshold, backoff): a
   * failing service held back says so once per wait, with when it ends, instead of every round
   * or never. Without it (one-shot mode), every round's verdict is logged as it is.
   */
  announced?: { heldBack: string | null };
}

export async function checkService(parts: ServiceParts, deps: EngineDeps, options: RoundOptions): Promise<ServiceReport> {
  const { config } = parts;
  const logPassing = options.logPassing ?? true;
  if (options.dryRun) return planRound(parts, deps);
  // Stopped by a human: nothing to look at (its checks would only fail), nothing to write.
  const stopped = stoppedRound(parts, deps, logPassing);
  if (stopped !== null) return stopped;
  if (options.steadyWithoutLock === true) {
    const steady = await steadyRound(parts, deps);
    if (steady !== null) return announceHeldBack(steady, parts, deps, options.announced);
  }
  const lease = await deps.store.acquireLock(config.name, { waitMs: lockWaitMs(config), signal: deps.signal });
  if (lease === null) return reportBusy(parts, deps);
  try {
    return announceHeldBack(await runRound(parts, deps, logPassing, options.announced !== undefined), parts, deps, options.announced);
  } finally {
    lease.release();
  }
}

/** Says once per wait why a failing service is not restarted yet, and when that ends (the daemon). */
function announceHeldBack(round: ServiceReport, parts: ServiceParts, deps: EngineDeps, announced: RoundOptions["announced"]): ServiceReport {
  if (announced === undefined) return round;
  const { heldBack } = round.verdict;
  const key = heldBack === undefined ? null : heldBackKey(heldBack);
  if (heldBack !== undefined && key !== announced.heldBack) {
    log(deps, parts, heldBack.by === "startup-grace" ? "INFO" : "WARN", describeHeldBack(heldBack, deps.clock.now(), parts.config.intervalMs), { heldBack: heldBack.by });
  }
  announced.heldBack = key;
  return round;
}

async function planRound(parts: ServiceParts, deps: EngineDeps): Promise<ServiceReport> {
  const observations = await observe(parts, deps);
  const decision = decide(deps.store.loadState(parts.config.name), observations, deps.clock.now(), parts.config.policy, parts.config.name);
  log(deps, parts, decision.verdict.status === "healthy" || decision.verdict.status === "grace" ? "OK" : "INFO", `Would ${decision.verdict.status === "restart" ? "restart" : "do nothing"}: ${decision.verdict.why}`);
  return report(parts, observations, decision.verdict, decision.actions, null, [], decision.state);
}

/** The round of a service a human stopped: no check runs, the state stays; null when it is not stopped. */
function stoppedRound(parts: ServiceParts, deps: EngineDeps, logPassing: boolean): ServiceReport | null {
  const state = deps.store.loadState(parts.config.name);
  if (state.control?.kind !== "stopped") return null;
  const decision = decide(state, [], deps.clock.now(), parts.config.policy, parts.config.name);
  if (logPassing) log(deps, parts, "INFO", decision.verdict.why);
  return report(parts, [], decision.verdict, [], null, [], state);
}

/** The round when nothing changes: no lock, no write, no log line; null when something would change. */
async function steadyRound(parts: ServiceParts, deps: EngineDeps): Promise<ServiceReport | null> {
  const { config } = parts;
  const observations = await runChecks(parts, deps);
  const now = deps.clock.now();
  const state = deps.store.loadState(config.name);
  const decision = decide(state, observations, now, config.policy, config.name);
  if (decision.actions.length > 0 || !isDeepStrictEqual(decision.state, state)) return null;
  if (!deps.store.touchRound(config.name, state, now)) return null;
  return report(parts, observations, decision.verdict, [], null, [], state);
}

async function runRound(parts: ServiceParts, deps: EngineDeps, logPassing: boolean, announcing = false): Promise<ServiceReport> {
  const { config } = parts;
  const observations = await observe(parts, deps, logPassing);
  const now = deps.clock.now();
  const decision = decide(deps.store.loadState(config.name), observations, now, config.policy, config.name);
  const events = eventsOf(decision.actions);
  // The decision is stored before acting: a kill -9 mid-restart leaves the attempt counted.
  const alerts = roundAlerts(events, config, observations, decision.state, deps.alerts);
  announceQueued(deps.store.commitRound(config.name, { state: decision.state, events, alerts, checkedAt: now }).alerts, deps.alerts);
  events.forEach((event) => logEvent(deps, parts, event));

  const restart = decision.actions.find((action) => action.type === "restart");
  if (restart === undefined) {
    // The round's events already say what changed; the verdict is logged when nothing did.
    if (decision.verdict.status === "healthy") {
      if (logPassing) log(deps, parts, "OK", "All health checks passed");
    }
    // The daemon rounds every few seconds: a wait (grace, threshold, backoff) is announced once, not each round.
    else if (events.length === 0 && !(announcing && decision.verdict.heldBack !== undefined) && (logPassing || decision.verdict.status !== "grace")) {
      log(deps, parts, tagOf(decision.verdict), decision.verdict.why);
    }
    return report(parts, observations, decision.verdict, decision.actions, null, events, decision.state);
  }

  const startedAt = deps.clock.now();
  const outcome = await restartService(
    { name: config.name, runner: parts.runner, checks: parts.checks },
    { ...config.restart, startupGraceMs: config.policy.startupGraceMs },
    { clock: deps.clock, signal: deps.signal, onStep: (step) => log(deps, parts, step.ok ? "INFO" : "WARN", `Restart step ${step.step}: ${step.summary}`) },
  );
  const finishedAt = deps.clock.now();
  const settled = settleRestart(decision.state, { ok: outcome.ok, summary: outcome.summary }, finishedAt, config.policy, config.name);
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

function runChecks(parts: ServiceParts, deps: EngineDeps): Promise<Observation[]> {
  return Promise.all(parts.checks.map((check) => check.run(deps.signal)));
}

async function observe(parts: ServiceParts, deps: EngineDeps, logPassing = true): Promise<Observation[]> {
  const observations = await runChecks(parts, deps);
  for (const observation of observations) if (logPassing || !observation.ok) log(deps, parts, tagOfObservation(observation), describeObservation(observation));
  return observations;
}

function reportBusy(parts: ServiceParts, deps: EngineDeps): ServiceReport {
  const why = `Skipped "${parts.config.name}" as another Lifeguard process holds its lock`;
  log(deps, parts, "WARN", why);
  return report(parts, [], { status: "failing", why }, [], null, [], deps.store.loadState(parts.config.name));
}

function report(
  parts: ServiceParts, observations: Observation[], verdict: Verdict, actions: Action[],
  restart: RestartOutcome | null, events: ServiceEvent[], state: ServiceState,
): ServiceReport {
  return { service: parts.config.name, observations, verdict, actions, restart, events, health: state.health.kind, state, exitCode: exitCodeOf(verdict, restart) };
}

/** DESIGN.md: 0 healthy, 1 restarted successfully, 2 unhealthy and not fixed. */
export function exitCodeOf(verdict: Verdict, restart: RestartOutcome | null): number {
  if (restart !== null) return restart.ok ? EXIT.restarted : EXIT.unhealthy;
  // A service a human stopped is not a problem Lifeguard failed to fix.
  return verdict.status === "healthy" || verdict.status === "grace" || verdict.status === "stopped" ? EXIT.healthy : EXIT.unhealthy;
}

/** The summary, with the cause when it adds something (systemctl's stderr line, an errno), and the hint. */
function describeObservation(observation: Observation): string {
  const { summary, cause, hint } = observation;
  const said = observation.ok || cause === undefined || summary.includes(cause) ? summary : cause.startsWith(summary) ? cause : `${summary} (${cause})`;
  // The fix of a log Lifeguard cannot read: the log says it too, not only the alert.
  return hint === undefined ? said : `${said}. ${hint}`;
}

/** A check that cannot look never restarts anything, as an alert-only one: a warning, not a failure. */
function tagOfObservation(observation: Observation): LogTag {
  if (observation.ok) return "OK";
  return observation.alertOnly || observation.unobservable === true ? "WARN" : "FAIL";
}

const eventsOf = (actions: Action[]): ServiceEvent[] => actions.flatMap((action) => (action.type === "event" ? [action.event] : []));

function tagOf(verdict: Verdict): LogTag {
  if (verdict.status === "gave-up") return "GAVE-UP";
  return verdict.status === "grace" ? "INFO" : "WARN";
}

function logEvent(deps: EngineDeps, parts: ServiceParts, event: ServiceEvent): void {
  // What a human must do (`lifeguard reset NAME`) is in the log line too, not only in the alert.
  const { hint } = event.data;
  const message = event.data.manualIntervention === true && typeof hint === "string" ? `${event.message}. ${hint}` : event.message;
  log(deps, parts, EVENT_TAGS[event.kind], message, { event: event.kind, ...event.data });
}

function log(deps: EngineDeps, parts: ServiceParts, tag: LogTag, message: string, data?: Record<string, unknown>): void {
  deps.logger.write({ at: deps.clock.now(), tag, message, service: parts.config.name, ...(data === undefined ? {} : { data }) });
}
