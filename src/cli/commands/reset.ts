import { UsageError, LifeguardError } from "../../core/errors.js";
import { resetService } from "../../core/reset-service.js";
import { buildApp } from "../../compose/build-app.js";
import type { CliIo } from "../io.js";
import { findTarget, type TargetOptions } from "../find-target.js";

/** How long `reset` waits for a running `check` to finish with the service. */
const RESET_LOCK_WAIT_MS = 120_000;

/** `lifeguard reset NAME`: re-arm a service that gave up; clears its restart window and backoff. */
export async function runReset(name: string, options: TargetOptions, io: CliIo): Promise<number> {
  const config = await findTarget(options, { command: "reset", service: name }, io);
  if (!config.services.some((service) => service.name === name)) {
    throw new UsageError(`Cannot reset "${name}" as the configuration has no such service: ${config.services.map((s) => `"${s.name}"`).join(", ")}`);
  }
  // A reset the disk refuses must say so (exit 70), not print "armed" and be lost at exit.
  const app = buildApp(config, { plainStore: true });
  try {
    const store = app.store;
    if (store === null) throw new LifeguardError("The store could not be opened");
    const lease = await store.acquireLock(name, { waitMs: RESET_LOCK_WAIT_MS });
    if (lease === null) throw new LifeguardError(`Cannot reset "${name}" as another Lifeguard process holds its lock`, { hint: "Try again when the running check has finished." });
    try {
      const now = app.clock.now();
      const decision = resetService(store.loadState(name), now, name);
      const events = decision.actions.flatMap((action) => (action.type === "event" ? [action.event] : []));
      store.commitRound(name, { state: decision.state, events, checkedAt: now });
      for (const event of events) app.logger.write({ at: now, tag: "INFO", service: name, message: event.message });
      io.stdout(events[0]?.message ?? `"${name}" is armed`);
      return 0;
    } finally {
      lease.release();
    }
  } finally {
    app.close();
  }
}
