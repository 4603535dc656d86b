import { acknowledgeService } from "../core/acknowledge.js";
import { pauseService, resumeService } from "../core/control.js";
import { settleRequestedRestart, settleStart, settleStop } from "../core/control-settle.js";
import type { LogTag } from "../core/logger.js";
import type { Decision, ServiceEvent } from "../core/policy.js";
import { resetService } from "../core/reset-service.js";
import type { RestartRecord } from "../core/store.js";
import type { EngineDeps, ServiceParts } from "./check-service.js";
import { lockWaitMs } from "./lock-wait.js";
import { restartService, startSequence, stopSequence, type RestartOutcome } from "./restart-sequence.js";
import { announceQueued, roundAlerts } from "./round-alerts.js";

/** What a human asks of one service: from the CLI, HTTP, the status page or Telegram. `by` says who, for the history. */
export type ControlRequest =
  | { action: "restart" | "stop" | "start" | "resume" | "reset" | "acknowledge"; by: string }
  /** `forMs` null: until resumed. */
  | { action: "pause"; by: string; forMs: number | null; reason: string | null };

export type ControlAction = ControlRequest["action"];

/** How a request ended: `ok`, and one sentence for whoever asked. */
export interface ControlOutcome {
  ok: boolean;
  summary: string;
}

/**
 * Carries out a human's request under the service's lock (a round in progress finishes first,
 * and none starts meanwhile): the same safe sequences as an automatic restart, then the state and
 * the history, with who asked. A stop, pause or reset holds across restarts of Lifeguard: it is
 * part of the stored state.
 */
export async function controlService(parts: ServiceParts, request: ControlRequest, deps: EngineDeps): Promise<ControlOutcome> {
  const { name } = parts.config;
  const lease = await deps.store.acquireLock(name, { waitMs: lockWaitMs(parts.config), signal: deps.signal });
  if (lease === null) return { ok: false, summary: `Cannot ${request.action} "${name}" as another Lifeguard process holds its lock` };
  try {
    const state = deps.store.loadState(name);
    const now = deps.clock.now();
    const address = parts.config.policy.cliAddress;
    switch (request.action) {
      case "pause":
        return commit(parts, deps, pauseService(state, now, name, request.by, request.forMs === null ? null : now + request.forMs, request.reason, address));
      case "resume":
        return commit(parts, deps, resumeService(state, now, name, request.by));
      case "reset":
        return commit(parts, deps, withBy(resetService(state, now, name), request.by));
      case "acknowledge":
        return commit(parts, deps, acknowledgeService(state, now, name, request.by));
      case "stop":
        return await runSequence(parts, deps, request, stopSequence, (outcome, at) => settleStop(deps.store.loadState(name), outcome, at, name, request.by, address));
      case "start":
        return await runSequence(parts, deps, request, startSequence, (outcome, at) => settleStart(deps.store.loadState(name), outcome, at, name, request.by));
      case "restart":
        return await runSequence(parts, deps, request, restartService, (outcome, at) => settleRequestedRestart(deps.store.loadState(name), outcome, at, name, request.by, address));
    }
  } finally {
    lease.release();
  }
}

type Sequence = typeof restartService;

async function runSequence(parts: ServiceParts, deps: EngineDeps, request: ControlRequest, sequence: Sequence, settle: (outcome: RestartOutcome, at: number) => Decision): Promise<ControlOutcome> {
  const { config } = parts;
  const startedAt = deps.clock.now();
  const outcome = await sequence(
    { name: config.name, runner: parts.runner, checks: parts.checks },
    { ...config.restart, startupGraceMs: config.policy.startupGraceMs },
    { clock: deps.clock, signal: deps.signal, onStep: (step) => log(parts, deps, step.ok ? "INFO" : "WARN", `${capitalised(request.action)} step ${step.step}: ${step.summary}`) },
  );
  const finishedAt = deps.clock.now();
  const decision = settle(outcome, finishedAt);
  const restart: RestartRecord | undefined = request.action === "restart" ? {
    service: config.name, startedAt, finishedAt, reason: `requested by ${request.by}`,
    // Attempt 0: asked by a human, not counted against the limit (history shows it so).
    attempt: 0, max: config.policy.limit.max,
    ok: outcome.ok, summary: outcome.summary, evidence: [], steps: outcome.steps,
  } : undefined;
  const committed = commit(parts, deps, decision, restart);
  return { ok: outcome.ok && committed.ok, summary: committed.summary };
}

/** Writes the decision (and a restart record) in one transaction, with its alerts; logs its events. */
function commit(parts: ServiceParts, deps: EngineDeps, decision: Decision, restart?: RestartRecord): ControlOutcome {
  const { config } = parts;
  const events = decision.actions.flatMap((action) => (action.type === "event" ? [action.event] : []));
  const alerts = roundAlerts(events, config, [], decision.state, deps.alerts);
  const now = deps.clock.now();
  announceQueued(deps.store.commitRound(config.name, { state: decision.state, events, alerts, checkedAt: now, ...(restart === undefined ? {} : { restart }) }).alerts, deps.alerts);
  for (const event of events) log(parts, deps, tagOf(event), event.message, { event: event.kind, ...event.data });
  return { ok: !events.some((event) => event.kind === "request-failed" || event.kind === "restart-failed"), summary: decision.verdict.why };
}

/** `lifeguard reset` by someone: who, in the history. */
function withBy(decision: Decision, by: string): Decision {
  return { ...decision, actions: decision.actions.map((action) => (action.type === "event" ? { ...action, event: { ...action.event, data: { ...action.event.data, by } } } : action)) };
}

function tagOf(event: ServiceEvent): LogTag {
  if (event.kind === "request-failed" || event.kind === "restart-failed") return "ERROR";
  return event.kind === "restarted" ? "RESTART" : "INFO";
}

const capitalised = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

function log(parts: ServiceParts, deps: EngineDeps, tag: LogTag, message: string, data?: Record<string, unknown>): void {
  deps.logger.write({ at: deps.clock.now(), tag, service: parts.config.name, message, ...(data === undefined ? {} : { data }) });
}
