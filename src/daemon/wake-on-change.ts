import { formatDuration } from "../core/duration.js";
import type { Logger } from "../core/logger.js";
import { reportsChanges } from "../core/runner.js";
import type { ServiceParts } from "../engine/check-service.js";
import type { Scheduler } from "../engine/scheduler.js";

/**
 * Wakes a service's loop the moment its runner hears that the service changed (a systemd unit
 * that crashed, exited or was stopped, as systemd reports it over the bus), instead of at its next
 * interval. Resolves to the unsubscribers. A runner that could follow its service but cannot says
 * why, once; its service is then looked at every round only.
 */
export async function wakeOnChange(services: ServiceParts[], scheduler: Scheduler, logger: Logger, now: () => number): Promise<Array<() => void>> {
  const watched = await Promise.all(services.map(async (parts, index) => {
    const { runner, config } = parts;
    if (!reportsChanges(runner)) return null;
    const watch = await runner.watchChanges(() => scheduler.loops[index]?.wake());
    if (watch === null || typeof watch === "function") return watch;
    logger.write({ at: now(), tag: "WARN", service: config.name, message: `Cannot follow "${runner.target}" as it changes, as ${watch.problem}: a crash is seen at its next round (every ${formatDuration(config.intervalMs)})` });
    return null;
  }));
  return watched.filter((stop): stop is () => void => stop !== null);
}
