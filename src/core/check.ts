import type { Observation } from "./outcome.js";

/** A ready-to-run probe: one call, one observation. It never throws; failures are observations. */
export interface Check {
  /** Unique within the service, e.g. `log-fresh` or `log-activity#2`. */
  readonly id: string;
  readonly alertOnly: boolean;
  run(signal: AbortSignal): Promise<Observation>;
  /**
   * Wall time (ms) when the last passing run's verdict runs out (a log's mtime plus its
   * max-age), or null when none is known. The daemon runs a round then rather than at the end
   * of the interval, so a freeze is seen as soon as it can be, whatever the interval.
   */
  dueAt(): number | null;
}
