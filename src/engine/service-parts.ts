import type { Check } from "../core/check.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Runner } from "../core/runner.js";
import type { ServiceStore } from "../core/store.js";
import type { ServiceConfig } from "../config/types.js";
import type { AlertDeps } from "./round-alerts.js";

/** The last lines of a service's own log, kept by a capture before a hang's stop. */
export interface LogTail {
  /** The file, or `journal of UNIT`. */
  source: string;
  /** Oldest first, each shortened. */
  lines: string[];
  /** Why none could be read. */
  problem?: string;
}

/** A configured service with its concrete runner and checks, built by the composition root. */
export interface ServiceParts {
  config: ServiceConfig;
  runner: Runner;
  checks: Check[];
  /** Reads the last lines of the service's log, within `timeoutMs`; absent: the capture keeps none. */
  lastLines?: (signal: AbortSignal, timeoutMs: number) => Promise<LogTail>;
}

export interface EngineDeps {
  store: ServiceStore;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** Where alerts go; absent: no alerts (no channel configured, or a dry run). */
  alerts?: AlertDeps;
}
