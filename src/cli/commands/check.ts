import type { ServiceConfig } from "../../config/types.js";
import { UsageError } from "../../core/errors.js";
import { buildApp, EMPTY_STORE, type App } from "../../compose/build-app.js";
import { queueReminders } from "../../engine/remind.js";
import { assertOneShot } from "../../compose/one-shot.js";
import { checkRound } from "../../engine/check-round.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";
import { withShutdownSignal } from "../shutdown-signal.js";

/** How long `check` spends sending alerts at most (each attempt is also bounded by its channel's timeout). */
const FLUSH_BUDGET_MS = 60_000;

const alertsOf = (app: App) => (app.alerting.deps === undefined ? {} : { alerts: app.alerting.deps });

/** `lifeguard check`: every check once, act on the policy's decision, exit 0, 1 or 2. */
export async function runCheck(options: { config?: string; dryRun?: boolean; service?: string[] }, io: CliIo): Promise<number> {
  const config = await openConfig(options, io);
  const selected = selectServices(config.services, options.service);
  const dryRun = options.dryRun === true;
  const app = buildApp(config, { readOnly: dryRun });
  try {
    const services = app.services.filter((service) => selected.includes(service.config));
    const store = app.store ?? EMPTY_STORE;
    const report = await withShutdownSignal(async (signal) => {
      const round = await checkRound(services, { store, clock: app.clock, logger: app.logger, signal, ...alertsOf(app) }, { dryRun });
      // After the restarts: a channel that is down never delays one. What it cannot send now, the next run sends.
      if (app.store !== null && app.alerting.notifier !== null) {
        queueReminders(selected, app.store, app.clock, app.alerting.deps);
        await app.alerting.notifier.flush(AbortSignal.any([signal, AbortSignal.timeout(FLUSH_BUDGET_MS)]));
      }
      return round;
    });
    return report.exitCode;
  } finally {
    app.close();
  }
}

/** The services named by `--service` (all by default); each must be one a single round can check. */
function selectServices(services: ServiceConfig[], names: string[] | undefined): ServiceConfig[] {
  const known = services.map((service) => service.name);
  const unknown = (names ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UsageError(`Unknown service "${unknown[0]}": the configuration has ${known.map((n) => `"${n}"`).join(", ")}`);
  const selected = names === undefined ? services : services.filter((service) => names.includes(service.name));
  assertOneShot(selected);
  return selected;
}
