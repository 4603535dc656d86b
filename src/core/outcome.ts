/**
 * The one result shape shared by checks, restart steps and (later) alert deliveries.
 * `summary` is one human sentence; `evidence` holds the facts behind it (log age, matching lines...).
 */
export interface Outcome {
  ok: boolean;
  summary: string;
  evidence: Record<string, unknown>;
  durationMs: number;
  timedOut: boolean;
  /** Why it failed, when the failure has a cause beyond the summary (an errno, a stderr line). */
  cause?: string;
}

/** What one check saw at one moment. */
export interface Observation extends Outcome {
  /** The check's id within its service, e.g. `running`, `log-fresh`, `log-activity#2`. */
  check: string;
  /** Wall-clock time (ms since the epoch) the observation was made. */
  at: number;
  /** A failing alert-only check is reported but never causes a restart. */
  alertOnly: boolean;
  /**
   * Certain on one sight, so not confirmed over `failure-threshold` rounds: the service is not
   * running at all (its unit is inactive or failed, its process exited). A crash is answered at once.
   */
  conclusive?: boolean;
  /**
   * The check could not look at all (its log cannot be read: permission denied on the file or
   * its directory, an I/O error, a stale mount): it neither passes nor fails, never restarts,
   * and is announced once with `hint`. A missing log is no such case: it fails.
   */
  unobservable?: boolean;
  /**
   * The check is outside its `active:` windows (or in the grace of their opening): it did not
   * run, and counts neither way; `summary` says until when.
   */
  unjudged?: boolean;
  /** A failure inside the check's own `quiet:` window: it restarts nothing until `until` (null: not within 400 days), `why` says so. */
  quiet?: { until: number | null; why: string };
  /** What a human can do about it: the command that lets Lifeguard read the log. */
  hint?: string;
}
