import type { Store } from "../store/index.js";
import type { Scheduler } from "../engine/scheduler.js";

/** Whether Lifeguard is doing its job, and why not. */
export type Health = { ok: true } | { ok: false; summary: string };

/**
 * What the dead-man's switch vouches for: every service's loop makes progress (the condition of
 * the systemd watchdog ping) and the store answers. The store is asked a read without side
 * effects (who holds the first service's lock), so asking every interval costs next to nothing.
 */
export function lifeguardHealth(scheduler: Pick<Scheduler, "isProgressing" | "loops">, store: Pick<Store, "lockOwner">): () => Health {
  return () => {
    if (!scheduler.isProgressing()) return { ok: false, summary: "a service's loop has made no progress within its interval and the longest round" };
    const service = scheduler.loops[0]?.service;
    try {
      if (service !== undefined) store.lockOwner(service);
      return { ok: true };
    } catch (error) {
      return { ok: false, summary: `the store does not answer: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
}
