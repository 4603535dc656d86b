import { isSupervising, type ServiceExit } from "../core/runner.js";
import { formatDuration } from "../core/duration.js";
import { answerExit } from "../engine/answer-exit.js";
import type { ServiceParts } from "../engine/check-service.js";
import type { Scheduler, SchedulerDeps, ServiceLoop } from "../engine/scheduler.js";

/** What answers the exits of supervised processes. */
export interface ExitAnswers {
  /** No exit is answered from here on (each is still logged, and wakes its loop); resolves once every answer under way has ended. */
  finish(): Promise<void>;
  /** Stops listening: not even logged. */
  unsubscribe(): void;
}

/**
 * Answers each unasked exit of a supervised process at once: the FAIL line, then the round that
 * restarts it, run from the exit event (engine/answer-exit.ts) rather than at the loop's next
 * wake-up. Its report is the loop's latest (`record`: the next round is due from it, as after a
 * restart of its own) and goes to `onRound` as the loop's rounds do. When it did not restart (the
 * lock was held, the policy waits) or failed, the loop is woken: its round, with every check,
 * decides as always.
 */
export function answerExits(services: ServiceParts[], scheduler: Scheduler, deps: SchedulerDeps): ExitAnswers {
  const pending = new Set<Promise<void>>();
  let stopped = false;
  const unsubscribe = services.flatMap((parts, index) => {
    const { runner } = parts;
    if (!isSupervising(runner)) return [];
    return [runner.onExit((exit) => {
      if (exit.requested) return;
      deps.logger.write({ at: deps.clock.now(), tag: "FAIL", service: parts.config.name, message: describeExit(parts.config.name, exit) });
      const loop = scheduler.loops[index];
      if (stopped || deps.signal.aborted) return loop?.wake();
      const answer = answerAndReport(parts, loop, deps).then((answered) => {
        pending.delete(answer);
        if (!answered) loop?.wake();
      });
      pending.add(answer);
    })];
  });
  return {
    finish: async () => {
      stopped = true;
      await Promise.all(pending);
    },
    unsubscribe: () => unsubscribe.forEach((stop) => stop()),
  };
}

/** The answer, reported as a round of the service's loop; false when it did not restart. Never rejects. */
async function answerAndReport(parts: ServiceParts, loop: ServiceLoop | undefined, deps: SchedulerDeps): Promise<boolean> {
  try {
    const report = await answerExit(parts, deps);
    if (report === null) return false;
    // The status line, the status page and the loop's deadlines read it.
    loop?.record(report);
    deps.onRound?.(report);
    return true;
  } catch (error) {
    // The daemon never exits from inside a round: the loop's round, woken next, tries again.
    if (!deps.signal.aborted) deps.logger.write({ at: deps.clock.now(), tag: "ERROR", service: parts.config.name, message: `Cannot answer the exit of "${parts.config.name}" at once: ${(error as Error).message}` });
    return false;
  }
}

function describeExit(service: string, exit: ServiceExit): string {
  const how = exit.signal === null ? `with code ${exit.code}` : `on ${exit.signal}`;
  const oom = exit.oomKill === undefined ? "" : ` (${exit.oomKill})`;
  const last = exit.lastOutput === undefined ? "" : `; last output: ${exit.lastOutput}`;
  return `"${service}" exited ${how} after ${formatDuration(exit.uptimeMs)}${oom}${last}`;
}
