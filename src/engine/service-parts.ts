import type { Check } from "../core/check.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Runner } from "../core/runner.js";
import type { ServiceStore } from "../core/store.js";
import type { ServiceConfig } from "../config/types.js";
import type { AlertDeps } from "./round-alerts.js";

/** A configured service with its concrete runner and checks, built by the composition root. */
export interface ServiceParts {
  config: ServiceConfig;
  runner: Runner;
  checks: Check[];
}

export interface EngineDeps {
  store: ServiceStore;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** Where alerts go; absent: no alerts (no channel configured, or a dry run). */
  alerts?: AlertDeps;
}
