import type { Check } from "../core/check.js";
import type { Clock } from "../core/clock.js";
import type { Observation } from "../core/outcome.js";
import type { CheckCommon } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import type { Finding, Follow, Probe } from "./probe.js";
import { onAbort } from "../process/abort-fanout.js";

/**
 * Wraps a probe into a Check that never throws and never outlives its `timeoutMs` or the
 * caller's signal: a probe that hangs (a stuck systemctl, a stalled NFS read) becomes a failed
 * observation with `timedOut: true`, and its own signal is aborted so it can let go.
 */
export function createBoundedCheck(config: CheckCommon, clock: Clock, probe: Probe): Check {
  let dueAt: number | null = null;
  let passed = false;
  let following: Follow | null = null;
  const check: Check = {
    id: config.id,
    alertOnly: config.alertOnly,
    run: async (signal: AbortSignal): Promise<Observation> => {
      const at = clock.now();
      const started = clock.monotonic();
      const { timedOut = false, dueAt: findingDueAt, ...finding } = await settle(config, clock, probe, signal);
      dueAt = finding.ok ? (findingDueAt ?? null) : null;
      passed = finding.ok;
      return { ...finding, timedOut, check: config.id, at, alertOnly: config.alertOnly, durationMs: clock.monotonic() - started };
    },
    dueAt: () => dueAt,
    ...(probe.markStart === undefined ? {} : { markStart: probe.markStart }),
  };
  const { follow } = probe;
  if (follow === undefined) return check;
  check.follow = (onChange, notice) => {
    following?.stop();
    following = follow(onChange, notice);
    return () => {
      following?.stop();
      following = null;
    };
  };
  // A passing finding of a followed subject stands until its deadline, unless something changed.
  check.holdsFor = () => {
    if (!passed || following === null || !following.unchanged()) return 0;
    return dueAt === null ? Number.POSITIVE_INFINITY : Math.max(0, dueAt - clock.now());
  };
  return check;
}

/**
 * The probe's finding, or a failed one when the timeout or the caller's signal comes first; the
 * probe's own signal is aborted then, so it can let go. A check that passes makes no error and
 * no promise beyond its own: the daemon runs thousands a minute.
 */
function settle(config: CheckCommon, clock: Clock, probe: Probe, signal: AbortSignal): Promise<Finding> {
  if (signal.aborted) return Promise.resolve(abortedFinding(config, signal.reason));
  const controller = new AbortController();
  return new Promise<Finding>((resolve) => {
    let settled = false;
    const finish = (finding: Finding, stopProbe?: () => void): void => {
      if (settled) return;
      settled = true;
      cancelTimer();
      stopHearing();
      stopProbe?.();
      resolve(finding);
    };
    const aborted = (): void => finish(abortedFinding(config, signal.reason), () => controller.abort(signal.reason));
    const cancelTimer = clock.setTimer(config.timeoutMs, () =>
      finish(timedOutFinding(config, probe), () => controller.abort(new DOMException(`Check "${config.id}" timed out`, "TimeoutError"))));
    // The daemon's signal is under every check of every round: one listener on it for them all.
    const stopHearing = onAbort(signal, aborted);
    void runProbe(config, probe, controller.signal).then((finding) => finish(finding));
  });
}

async function runProbe(config: CheckCommon, probe: Probe, signal: AbortSignal): Promise<Finding> {
  try {
    return await probe(signal);
  } catch (error) {
    const message = describeError(error);
    return { ok: false, summary: `Cannot run check "${config.id}": ${message}`, evidence: {}, cause: message };
  }
}

function timedOutFinding(config: CheckCommon, probe: Probe): Finding {
  const { summary, evidence } = probe.explainTimeout?.() ?? { summary: `Check "${config.id}" timed out after ${formatDuration(config.timeoutMs)}`, evidence: {} };
  return { ok: false, summary, evidence: { ...evidence, timeoutMs: config.timeoutMs }, timedOut: true };
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
