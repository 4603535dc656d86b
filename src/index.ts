/** Lifeguard as a library: `import { Watchdog } from "lifeguard"`. */
export { Watchdog, type WatchdogOptions } from "./watchdog.js";
export type { RoundReport } from "./engine/check-round.js";
export type { ServiceReport } from "./engine/check-service.js";
export type { RestartOutcome, StepRecord } from "./engine/restart-sequence.js";
export type { Observation, Outcome } from "./core/outcome.js";
export type { Verdict, ServiceEvent, EventKind, Action } from "./core/policy.js";
export type { Health, ServiceState } from "./core/state.js";
export type { LogEntry, Logger } from "./core/logger.js";
export type { LifeguardConfig, ServiceConfig, CheckConfig } from "./config/types.js";
export { validateConfig } from "./config/validate.js";
export { loadConfig } from "./config/load.js";
export { configJsonSchema } from "./config/json-schema.js";
export { LifeguardError, ConfigError, UsageError, EXIT } from "./core/errors.js";
