import type { ServiceConfig } from "../config/types.js";
import { UsageError } from "../core/errors.js";

/**
 * Refuses a one-shot round (`lifeguard check`, the library's `Watchdog`) over a supervised
 * service: its command lives only as long as the Lifeguard that spawned it, so one round would
 * start it and take it down on exit.
 */
export function assertOneShot(services: readonly ServiceConfig[]): void {
  const supervised = services.find((service) => service.runner.kind === "process");
  if (supervised === undefined) return;
  const others = services.filter((service) => service.runner.kind !== "process").map((service) => service.name);
  const hint = others.length === 0 ? undefined : `Check the others once with: lifeguard check --service ${others.join(" ")}`;
  throw new UsageError(`Cannot check "${supervised.name}" in one-shot mode as Lifeguard supervises its command itself: run "lifeguard run"`, hint);
}
