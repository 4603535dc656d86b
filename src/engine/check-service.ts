import { isDeepStrictEqual } from "node:util";
import type { LogTag } from "../core/logger.js";
import type { Observation } from "../core/outcome.js";
import type { Verdict } from "../core/policy.js";
import type { Lease } from "../core/store.js";
import { decide } from "../core/decide.js";
import { lockWaitMs } from "./lock-wait.js";
import { describeHeldBack, heldBackKey } from "./held-back-line.js";
import { carryOutRestart, commitDecision } from "./carry-out-restart.js";
import { log, logObservation } from "./round-log.js";
import type { EngineDeps, ServiceParts } from "./service-parts.js";
import { report, type ServiceReport } from "./service-report.js";

export type { EngineDeps, ServiceParts } from "./service-parts.js";
export type { ServiceReport } from "./service-report.js";

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
  let lease: Lease | null = null;
  if (options.steadyWithoutLock === true) {
    const steady = await steadyRound(parts, deps);
    if (steady !== null) return announceHeldBack(steady, parts, deps, options.announced);
    lease = await deps.store.acquireLock(config.name, { waitMs: 0, signal: deps.signal });
    if (lease === null && deps.store.loadState(config.name).health.kind === "restarting") return restartUnderWay(parts, deps);
  }
  lease ??= await deps.store.acquireLock(config.name, { waitMs: lockWaitMs(config), signal: deps.signal });
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

/**
 * The daemon's round while a decided restart holds the lock (a crash's answer, another
 * Lifeguard's round): that restart records its own outcome, so this round, which could only
 * follow it, ends quietly, and the loop's next round comes after it.
 */
function restartUnderWay(parts: ServiceParts, deps: EngineDeps): ServiceReport {
  const state = deps.store.loadState(parts.config.name);
  return report(parts, [], { status: "restart", why: `A restart of "${parts.config.name}" is under way` }, [], null, [], state);
}

async function runRound(parts: ServiceParts, deps: EngineDeps, logPassing: boolean, announcing = false): Promise<ServiceReport> {
  const { config } = parts;
  const observations = await observe(parts, deps, logPassing);
  const now = deps.clock.now();
  const decision = decide(deps.store.loadState(config.name), observations, now, config.policy, config.name);
  const events = commitDecision(parts, deps, decision, observations, now);

  const restart = decision.actions.find((action) => action.type === "restart");
  if (restart === undefined) {
    // The round's events already say what changed; the verdict is logged when nothing did.
    if (isUnjudged(observations)) {
      if (logPassing) log(deps, parts, "INFO", decision.verdict.why);
    } else if (decision.verdict.status === "healthy") {
      if (logPassing) log(deps, parts, "OK", "All health checks passed");
    }
    // The daemon rounds every few seconds: a wait (grace, threshold, backoff) is announced once, not each round.
    else if (events.length === 0 && !(announcing && decision.verdict.heldBack !== undefined) && (logPassing || decision.verdict.status !== "grace")) {
      log(deps, parts, tagOf(decision.verdict), decision.verdict.why);
    }
    return report(parts, observations, decision.verdict, decision.actions, null, events, decision.state);
  }

  return carryOutRestart(parts, deps, { observations, decision, events, restart });
}

function runChecks(parts: ServiceParts, deps: EngineDeps): Promise<Observation[]> {
  return Promise.all(parts.checks.map((check) => check.run(deps.signal)));
}

async function observe(parts: ServiceParts, deps: EngineDeps, logPassing = true): Promise<Observation[]> {
  const observations = await runChecks(parts, deps);
  // A service outside its active windows: the verdict says so once, not each check.
  if (isUnjudged(observations)) return observations;
  for (const observation of observations) if (logPassing || !observation.ok) logObservation(deps, parts, observation);
  return observations;
}

/** No check was judged: the service (or each check) is outside its active windows. */
const isUnjudged = (observations: readonly Observation[]): boolean => observations.length > 0 && observations.every((o) => o.unjudged === true);

function reportBusy(parts: ServiceParts, deps: EngineDeps): ServiceReport {
  const why = `Skipped "${parts.config.name}" as another Lifeguard process holds its lock`;
  log(deps, parts, "WARN", why);
  return report(parts, [], { status: "failing", why }, [], null, [], deps.store.loadState(parts.config.name));
}

function tagOf(verdict: Verdict): LogTag {
  if (verdict.status === "gave-up") return "GAVE-UP";
  return verdict.status === "grace" ? "INFO" : "WARN";
}
