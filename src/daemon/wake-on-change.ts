import { reportsChanges } from "../core/runner.js";
import type { ServiceParts } from "../engine/check-service.js";
import type { Scheduler } from "../engine/scheduler.js";

/**
 * Wakes a service's loop the moment its runner hears that the service changed (a systemd unit
 * that crashed, exited or was stopped, as systemd reports it over the bus), instead of at its next
 * interval. Resolves, once each watch is set up (or could not be yet), to the unsubscribers.
 */
export async function wakeOnChange(services: ServiceParts[], scheduler: Scheduler): Promise<Array<() => void>> {
  const watches = services.flatMap((parts, index) => {
    const { runner } = parts;
    const watch = reportsChanges(runner) ? runner.watchChanges(() => scheduler.loops[index]?.wake()) : null;
    return watch === null ? [] : [watch];
  });
  await Promise.all(watches.map((watch) => watch.ready));
  return watches.map((watch) => watch.stop);
}
