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
  /**
   * Lifeguard is about to start the service (the daemon's start of a supervised command, a
   * restart) at wall time `at`: what the check watches belongs to the new run from here on
   * (`log-fresh` counts a log's age from this start, so a new run is never called stale for the
   * previous run's output). Absent: the check looks only at the present.
   */
  markStart?(at: number): Promise<void>;
  /**
   * Starts following what the check looks at (the daemon; `lifeguard check` never follows): a
   * log by fs.watch of its directory, a supervised process by its exit. `onChange` is called when
   * the finding may have turned (the log renamed or deleted, the process gone: the loop goes back
   * to its interval), `notice` once when
   * the check cannot follow where it could be expected to (a log on NFS). Returns how to stop.
   * Absent: the check cannot follow, and runs every round.
   */
  follow?(onChange: () => void, notice: (message: string) => void): () => void;
  /**
   * While following: for how many more ms the last run's passing finding holds without a new run
   * (until its `dueAt`; Infinity without one), or 0 when it must run at the next round (it failed,
   * something changed since, it is not following).
   */
  holdsFor?(): number;
}

/** Tells every check of a service that it is about to be started at `at` (`Check.markStart`). */
export async function markStart(checks: readonly Check[], at: number): Promise<void> {
  await Promise.all(checks.map((check) => check.markStart?.(at)));
}
