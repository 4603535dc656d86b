import { markStart } from "../core/check.js";
import type { Clock } from "../core/clock.js";
import type { Outcome } from "../core/outcome.js";
import type { RestartConfig } from "../config/types.js";
import type { RestartTarget } from "./restart-target.js";
import { verifyStarted } from "./verify-started.js";

export type StepName = "stop" | "kill" | "start" | "verify";

/** One step of a restart, as recorded in the history. */
export interface StepRecord extends Outcome {
  step: StepName;
}

/** The whole sequence: ok when the service was started and verified. */
export interface RestartOutcome extends Outcome {
  steps: StepRecord[];
}

/**
 * The seed's restart sequence, done safely: graceful stop bounded by `stop-timeout`, force kill
 * of the unit's own processes, wait `kill-wait`, start, then verify. Carries out; never decides.
 */
export async function restartService(
  target: RestartTarget,
  settings: RestartConfig & { startupGraceMs: number },
  deps: { clock: Clock; signal: AbortSignal; onStep?: (step: StepRecord) => void },
): Promise<RestartOutcome> {
  const { clock, signal } = deps;
  const started = clock.monotonic();
  const steps: StepRecord[] = [];
  const record = (step: StepName, outcome: Outcome): StepRecord => {
    const entry = { ...outcome, step };
    steps.push(entry);
    deps.onStep?.(entry);
    return entry;
  };
  const finish = (ok: boolean, summary: string, cause?: string): RestartOutcome => ({
    ok,
    summary,
    evidence: { target: target.runner.target },
    durationMs: clock.monotonic() - started,
    timedOut: steps.some((step) => !step.ok && step.timedOut),
    steps,
    ...(cause === undefined ? {} : { cause }),
  });

  // A stop that times out is not a failure: the force kill below is its backup.
  record("stop", await target.runner.stop(settings.stopTimeoutMs, signal));
  if (signal.aborted) return finish(false, interruptedByShutdown(target.name, null));
  const kill = record("kill", await target.runner.kill(settings.killWaitMs, signal));
  if (signal.aborted) return finish(false, interruptedByShutdown(target.name, null));
  if (!kill.ok) return finish(false, `Cannot restart "${target.name}" as it did not stop: ${kill.summary}`, kill.cause);

  // From here the log is the new run's: its checks count its age and lines from this start.
  await markStart(target.checks, clock.now());
  const start = record("start", await target.runner.start(settings.verifyTimeoutMs, signal));
  // Cancelled while it watched the fresh process: the process was spawned all the same.
  if (signal.aborted) return finish(false, interruptedByShutdown(target.name, startedPid(start)));
  if (!start.ok) return finish(false, `Cannot restart "${target.name}" as it did not start: ${start.summary}`, start.cause);

  const verify = record("verify", await verifyStarted(target, settings, { clock, signal }));
  if (signal.aborted) return finish(false, interruptedByShutdown(target.name, startedPid(start)));
  if (!verify.ok) return finish(false, `Restarted "${target.name}" but ${verify.summary}`, verify.cause);
  return finish(true, `Restarted "${target.name}": ${verify.summary}`);
}

/**
 * Lifeguard's shutdown (the signal's abort) cut the restart short: what it had done by then.
 * `started` is the new process's PID once it was spawned (a runner without PIDs: 0), else null;
 * the shutdown then stops it with the service's other processes.
 */
export function interruptedByShutdown(service: string, started: number | null): string {
  const where = started === null ? "before the new process started" : `after the new process started${started === 0 ? "" : ` (PID ${started})`}`;
  return `Restart of "${service}" interrupted by Lifeguard's shutdown ${where}`;
}

/** The PID a start step spawned, 0 when it started without naming one, null when nothing was spawned. */
function startedPid(start: StepRecord): number | null {
  const pid = start.evidence.pid;
  if (typeof pid === "number") return pid;
  return start.ok ? 0 : null;
}
