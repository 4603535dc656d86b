import type { Logger } from "../core/logger.js";
import { markStarted } from "../core/mark-started.js";
import type { ServiceStore } from "../core/store.js";
import { isSupervising, type ServiceExit, type SupervisingRunner } from "../core/runner.js";
import { formatDuration } from "../core/duration.js";
import type { ServiceParts } from "../engine/check-service.js";
import type { Scheduler } from "./scheduler.js";

/**
 * Supervisor mode in the daemon: starts every service whose runner owns its process, runs a
 * round at once when one exits (no polling delay), and stops them all when Lifeguard stops.
 */
export async function startSupervised(services: ServiceParts[], deps: { store: ServiceStore; logger: Logger; now: () => number }): Promise<SupervisingRunner[]> {
  const { logger, now, store } = deps;
  const supervised = services.filter((parts) => isSupervising(parts.runner));
  for (const parts of supervised) {
    // Kept across a reload, still running: its process and its startup grace carry on.
    const status = await parts.runner.status(new AbortController().signal);
    if (status.state === "active") {
      logger.write({ at: now(), tag: "INFO", service: parts.config.name, message: `Kept ${status.summary} across the reload: its command and settings did not change` });
      continue;
    }
    const outcome = await parts.runner.start(parts.config.restart.verifyTimeoutMs, new AbortController().signal);
    // Its startup grace runs from now: the first round must not judge a log not yet written.
    if (outcome.ok) store.commitRound(parts.config.name, { state: markStarted(store.loadState(parts.config.name), now()), events: [], checkedAt: now() });
    logger.write({ at: now(), tag: outcome.ok ? "INFO" : "ERROR", service: parts.config.name, message: outcome.summary });
  }
  return supervised.map((parts) => parts.runner as SupervisingRunner);
}

/** Wakes a service's loop when its process exits unasked; returns the unsubscribers. */
export function wakeOnExit(services: ServiceParts[], scheduler: Scheduler, logger: Logger, now: () => number): Array<() => void> {
  return services.flatMap((parts, index) => {
    const { runner } = parts;
    if (!isSupervising(runner)) return [];
    return [runner.onExit((exit) => {
      if (exit.requested) return;
      logger.write({ at: now(), tag: "FAIL", service: parts.config.name, message: describeExit(parts.config.name, exit) });
      scheduler.loops[index]?.wake();
    })];
  });
}

/** Stops every supervised process (SIGTERM to its group, then SIGKILL): no orphans when Lifeguard stops. */
export async function shutdownSupervised(services: ServiceParts[]): Promise<void> {
  await Promise.all(services.map(async (parts) => {
    if (isSupervising(parts.runner)) await parts.runner.shutdown({ stopTimeoutMs: parts.config.restart.stopTimeoutMs, killWaitMs: parts.config.restart.killWaitMs });
  }));
}

function describeExit(service: string, exit: ServiceExit): string {
  const how = exit.signal === null ? `with code ${exit.code}` : `on ${exit.signal}`;
  const last = exit.lastOutput === undefined ? "" : `; last output: ${exit.lastOutput}`;
  return `"${service}" exited ${how} after ${formatDuration(exit.uptimeMs)}${last}`;
}
