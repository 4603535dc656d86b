import { UsageError } from "../../core/errors.js";
import { buildApp, EMPTY_STORE } from "../../compose/build-app.js";
import { checkRound } from "../../engine/check-round.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";
import { withShutdownSignal } from "../shutdown-signal.js";

/** `lifeguard check`: every check once, act on the policy's decision, exit 0, 1 or 2. */
export async function runCheck(options: { config?: string; dryRun?: boolean; service?: string[] }, io: CliIo): Promise<number> {
  const config = await openConfig(options, io);
  const dryRun = options.dryRun === true;
  const app = buildApp(config, { readOnly: dryRun });
  try {
    const services = selectServices(app.services, options.service);
    const store = app.store ?? EMPTY_STORE;
    const report = await withShutdownSignal((signal) => checkRound(services, { store, clock: app.clock, logger: app.logger, signal }, { dryRun }));
    return report.exitCode;
  } finally {
    app.close();
  }
}

function selectServices<T extends { config: { name: string } }>(services: T[], names: string[] | undefined): T[] {
  if (names === undefined) return services;
  const known = services.map((service) => service.config.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UsageError(`Unknown service "${unknown[0]}": the configuration has ${known.map((n) => `"${n}"`).join(", ")}`);
  return services.filter((service) => names.includes(service.config.name));
}
