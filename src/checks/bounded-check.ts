import type { Check } from "../core/check.js";
import type { Clock } from "../core/clock.js";
import type { Observation } from "../core/outcome.js";
import type { CheckCommon } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import type { Finding, Probe } from "./probe.js";

/**
 * Wraps a probe into a Check that never throws and never outlives its `timeoutMs` or the
 * caller's signal: a probe that hangs (a stuck systemctl, a stalled NFS read) becomes a failed
 * observation with `timedOut: true`, and its own signal is aborted so it can let go.
 */
export function createBoundedCheck(config: CheckCommon, clock: Clock, probe: Probe): Check {
  let dueAt: number | null = null;
  return {
    id: config.id,
    alertOnly: config.alertOnly,
    run: async (signal: AbortSignal): Promise<Observation> => {
      const at = clock.now();
      const started = clock.monotonic();
      const { timedOut = false, dueAt: findingDueAt, ...finding } = await settle(config, clock, probe, signal);
      dueAt = finding.ok ? (findingDueAt ?? null) : null;
      return { ...finding, timedOut, check: config.id, at, alertOnly: config.alertOnly, durationMs: clock.monotonic() - started };
    },
    dueAt: () => dueAt,
  };
}

async function settle(config: CheckCommon, clock: Clock, probe: Probe, signal: AbortSignal): Promise<Finding> {
  if (signal.aborted) return abortedFinding(config, signal.reason);
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  try {
    const deadline = clock.sleep(config.timeoutMs, controller.signal).then(
      () => timedOutFinding(config),
      () => abortedFinding(config, signal.reason),
    );
    return await Promise.race([runProbe(config, probe, controller.signal), deadline]);
  } finally {
    signal.removeEventListener("abort", forward);
    // Stops the deadline timer, and whatever the probe still has running.
    controller.abort(new DOMException(`Check "${config.id}" is over`, "AbortError"));
  }
}

async function runProbe(config: CheckCommon, probe: Probe, signal: AbortSignal): Promise<Finding> {
  try {
    return await probe(signal);
  } catch (error) {
    const message = describeError(error);
    return { ok: false, summary: `Cannot run check "${config.id}": ${message}`, evidence: {}, cause: message };
  }
}

function timedOutFinding(config: CheckCommon): Finding {
  return { ok: false, summary: `Check "${config.id}" timed out after ${formatDuration(config.timeoutMs)}`, evidence: { timeoutMs: config.timeoutMs }, timedOut: true };
}

function abortedFinding(config: CheckCommon, reason: unknown): Finding {
  const message = describeError(reason);
  return {
    ok: false,
    summary: `Check "${config.id}" was aborted before it finished: ${message}`,
    evidence: {},
    cause: message,
    timedOut: reason instanceof Error && reason.name === "TimeoutError",
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
