import type { Clock } from "../core/clock.js";
import type { Observation, Outcome } from "../core/outcome.js";
import { formatDuration } from "../core/duration.js";
import type { RestartTarget } from "./restart-target.js";

/** How often verification looks again while it waits for the checks to pass. */
export const VERIFY_POLL_MS = 500;

/** Runner states that mean the start did not take: verification fails at once. */
const DEAD_STATES = new Set(["inactive", "failed", "not-found"]);

/**
 * After a start: the service must be running, and its checks must pass within `verify-timeout`.
 * Checks still failing when the time is up are forgiven while the startup grace lasts
 * (a freshly started service is not judged by its old stale log); a dead service never is.
 */
export async function verifyStarted(
  target: RestartTarget,
  settings: { verifyTimeoutMs: number; startupGraceMs: number },
  deps: { clock: Clock; signal: AbortSignal },
): Promise<Outcome> {
  const { clock, signal } = deps;
  const started = clock.monotonic();
  const outcome = (ok: boolean, summary: string, evidence: Record<string, unknown>, timedOut = false): Outcome => ({
    ok, summary, evidence, durationMs: clock.monotonic() - started, timedOut,
  });

  for (;;) {
    const status = await target.runner.status(signal);
    if (DEAD_STATES.has(status.state)) {
      return outcome(false, `it is "${status.state}" after its start`, { state: status.state });
    }
    const failing = (await Promise.all(target.checks.map((check) => check.run(signal)))).filter(isCounted);
    const elapsed = clock.monotonic() - started;
    if (status.ok && failing.length === 0) {
      return outcome(true, `it is "${status.state}" and its checks pass after ${formatDuration(elapsed)}`, { state: status.state });
    }
    if (elapsed + VERIFY_POLL_MS > settings.verifyTimeoutMs) {
      const evidence = { state: status.state, failing: failing.map((o) => o.summary) };
      if (status.ok && elapsed < settings.startupGraceMs) {
        return outcome(true, `it is "${status.state}"; its checks do not pass yet, within its startup grace of ${formatDuration(settings.startupGraceMs)}: ${summarise(failing)}`, evidence);
      }
      const why = status.ok ? summarise(failing) : status.summary;
      return outcome(false, `its checks did not pass within ${formatDuration(settings.verifyTimeoutMs)}: ${why}`, evidence, true);
    }
    if (!(await sleepUnlessCancelled(clock, signal))) return outcome(false, `its verification was cancelled after ${formatDuration(clock.monotonic() - started)}`, { state: status.state });
  }
}

const isCounted = (observation: Observation): boolean => !observation.ok && !observation.alertOnly;
const summarise = (failing: Observation[]): string => failing.map((o) => o.summary).join("; ");

/** Waits one poll; false when the signal cut the wait (Lifeguard's shutdown): the caller says so instead of throwing. */
async function sleepUnlessCancelled(clock: Clock, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(VERIFY_POLL_MS, signal);
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    throw error;
  }
}
