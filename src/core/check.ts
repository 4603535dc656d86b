import type { Observation } from "./outcome.js";

/** A ready-to-run probe: one call, one observation. It never throws; failures are observations. */
export interface Check {
  /** Unique within the service, e.g. `log-fresh` or `log-activity#2`. */
  readonly id: string;
  readonly alertOnly: boolean;
  run(signal: AbortSignal): Promise<Observation>;
}
