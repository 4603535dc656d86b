import type { ServiceConfig } from "../../config/types.js";
import { UsageError } from "../../core/errors.js";
import { buildApp } from "../../compose/build-app.js";
import { assertOneShot, checkOnce } from "../../compose/one-shot.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";
import { withShutdownSignal } from "../shutdown-signal.js";

/** `lifeguard check`: every check once, act on the policy's decision, exit 0, 1 or 2. */
export async function runCheck(options: { config?: string; dryRun?: boolean; service?: string[] }, io: CliIo): Promise<number> {
  const config = await openConfig(options, io);
  const selected = selectServices(config.services, options.service);
  const dryRun = options.dryRun === true;
  const app = buildApp(config, { readOnly: dryRun });
  try {
    const services = app.services.filter((service) => selected.includes(service.config));
    const report = await withShutdownSignal((signal) => checkOnce(app, services, { dryRun, signal }));
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
