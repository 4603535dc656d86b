import { EXIT } from "../core/errors.js";
import { checkService, type EngineDeps, type ServiceParts, type ServiceReport } from "./check-service.js";

/** One `lifeguard check`: every service once, and the exit code that sums them up. */
export interface RoundReport {
  services: ServiceReport[];
  /** 0 all healthy, 1 something restarted successfully, 2 something unhealthy and not fixed. */
  exitCode: number;
}

/** Checks every service once (services in parallel: one slow restart does not hold up the rest). */
export async function checkRound(services: ServiceParts[], deps: EngineDeps, options: { dryRun: boolean }): Promise<RoundReport> {
  deps.logger.write({ at: deps.clock.now(), tag: "INFO", message: options.dryRun ? "=== Watchdog check started (dry run) ===" : "=== Watchdog check started ===" });
  const reports = await Promise.all(services.map((service) => checkService(service, deps, options)));
  return { services: reports, exitCode: combineExitCodes(reports.map((report) => report.exitCode)) };
}

/** Unhealthy-and-not-fixed outranks restarted, which outranks healthy. */
export function combineExitCodes(codes: number[]): number {
  if (codes.includes(EXIT.unhealthy)) return EXIT.unhealthy;
  return codes.includes(EXIT.restarted) ? EXIT.restarted : EXIT.healthy;
}
