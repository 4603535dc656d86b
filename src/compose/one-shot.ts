import type { ServiceConfig } from "../config/types.js";
import { lifeguardCommand } from "../core/cli-command.js";
import { UsageError } from "../core/errors.js";
import { checkRound, type RoundReport } from "../engine/check-round.js";
import type { ServiceParts } from "../engine/check-service.js";
import { queueReminders } from "../engine/remind.js";
import type { WatchLedger } from "../core/watch.js";
import { isRecordedProcessAlive } from "../process/proc-stat.js";
import { selfIdentity } from "../process/self-identity.js";
import { EMPTY_STORE, type App } from "./build-app.js";

/**
 * Refuses a one-shot round (`lifeguard check`, the library's `Watchdog`) over a supervised
 * service: its command lives only as long as the Lifeguard that spawned it, so one round would
 * start it and take it down on exit.
 */
export function assertOneShot(services: readonly ServiceConfig[]): void {
  const supervised = services.find((service) => service.runner.kind === "process");
  if (supervised === undefined) return;
  const others = services.filter((service) => service.runner.kind !== "process").map((service) => service.name);
  // The advice works as printed: with the -c that found this configuration.
  const address = supervised.policy.cliAddress;
  const hint = others.length === 0 ? undefined : `Check the others once with: ${lifeguardCommand(["check", "--service", ...others, ...address])}`;
  throw new UsageError(`Cannot check "${supervised.name}" in one-shot mode as Lifeguard supervises its command itself: run "${lifeguardCommand(["run", ...address])}"`, hint);
}

/** How long a one-shot round spends sending alerts at most (each attempt is also bounded by its channel's timeout). */
const FLUSH_BUDGET_MS = 60_000;

/**
 * One round over `services` (`lifeguard check`, the library's `Watchdog`), then the alerts:
 * queued with the round's events, sent after the restarts (a channel that is down never
 * delays one); what cannot be sent now waits in the outbox for the next round.
 */
export async function checkOnce(app: App, services: ServiceParts[], options: { dryRun: boolean; signal: AbortSignal }): Promise<RoundReport> {
  const { deps, notifier } = app.alerting;
  const engine = { store: app.store ?? EMPTY_STORE, clock: app.clock, logger: app.logger, signal: options.signal, ...(deps === undefined ? {} : { alerts: deps }) };
  const round = await checkRound(services, engine, { dryRun: options.dryRun });
  if (app.store !== null && !options.dryRun) recordCheckRuns(app.store, services.map((parts) => parts.config.name), app.clock.now());
  if (app.store !== null && notifier !== null && !options.dryRun) {
    queueReminders(services.map((parts) => parts.config), app.store, app.clock, deps);
    await notifier.flush(AbortSignal.any([options.signal, AbortSignal.timeout(FLUSH_BUDGET_MS)]));
  }
  return round;
}

/**
 * Records this run as the watcher of `services`, so that `status` knows a `check` (cron, a timer)
 * watches them and at which cadence. A daemon that watches one stays its watcher. A failure
 * (a busy or failing store) is no reason to fail the round, which already acted.
 */
function recordCheckRuns(ledger: WatchLedger, services: readonly string[], now: number): void {
  const identity = selfIdentity();
  for (const service of services) {
    try {
      ledger.recordCheckRun({ service, mode: "check", ...identity, since: now, beatAt: now, previousBeatAt: null, stoppedAt: null, stopReason: null, url: null }, isRecordedProcessAlive);
    } catch {
      return;
    }
  }
}
