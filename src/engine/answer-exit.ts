import { decideOnExit } from "../core/decide-on-exit.js";
import { carryOutRestart, commitDecision } from "./carry-out-restart.js";
import { logObservation } from "./round-log.js";
import type { EngineDeps, ServiceParts } from "./service-parts.js";
import type { ServiceReport } from "./service-report.js";

/** The id of the check every service has first (config/normalise.ts): whether it runs. */
const RUNNING_CHECK = "running";

/**
 * The round that answers a supervised process's exit, run from the exit itself rather than at the
 * loop's next wake-up, with nothing before the new spawn that could wait until after it: it takes
 * the lock without waiting, decides from the `running` check alone (the exit is conclusive:
 * decideOnExit), commits the decision, and carries out the restart; the other checks run in its
 * verification. Null when it did nothing: the lock is held (a restart or a human's request is
 * under way, which sees the exit itself), or the policy does not restart now (a threshold, the
 * backoff, the limit, a pause or a stop): then nothing was written, and the loop's round, with
 * every check, decides as it always has.
 */
export async function answerExit(parts: ServiceParts, deps: EngineDeps): Promise<ServiceReport | null> {
  const { config } = parts;
  const running = parts.checks.find((check) => check.id === RUNNING_CHECK);
  if (running === undefined) return null;
  const lease = await deps.store.acquireLock(config.name, { waitMs: 0, signal: deps.signal });
  if (lease === null) return null;
  try {
    const exit = await running.run(deps.signal);
    const now = deps.clock.now();
    const decision = decideOnExit(deps.store.loadState(config.name), exit, now, config.policy, config.name);
    const restart = decision.actions.find((action) => action.type === "restart");
    if (restart === undefined) return null;
    logObservation(deps, parts, exit);
    const events = commitDecision(parts, deps, decision, [exit], now);
    return await carryOutRestart(parts, deps, { observations: [exit], decision, events, restart });
  } finally {
    lease.release();
  }
}
