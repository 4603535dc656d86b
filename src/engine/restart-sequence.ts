import { markStart } from "../core/check.js";
import type { Clock } from "../core/clock.js";
import type { Outcome } from "../core/outcome.js";
import type { RestartConfig } from "../config/types.js";
import type { RestartTarget } from "./restart-target.js";
import { verifyStarted } from "./verify-started.js";

/** `forensics`: the capture before a hang's stop (capture-before-stop.ts), when one is due. */
export type StepName = "forensics" | "stop" | "kill" | "start" | "verify";

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
export async function restartService(target: RestartTarget, settings: SequenceSettings, deps: SequenceDeps): Promise<RestartOutcome> {
  const run = beginSequence(target, deps);
  const stopped = await stopSteps(target, settings, deps, run, "restart");
  if (stopped !== null) return stopped;
  return startSteps(target, settings, deps, run, "restart");
}

/** `lifeguard stop NAME`: the stop and kill steps of a restart, nothing started after them. */
export async function stopSequence(target: RestartTarget, settings: SequenceSettings, deps: SequenceDeps): Promise<RestartOutcome> {
  const run = beginSequence(target, deps);
  return (await stopSteps(target, settings, deps, run, "stop")) ?? run.finish(true, `Stopped "${target.name}": ${run.steps.at(-1)?.summary ?? "it was not running"}`);
}

/** `lifeguard start NAME`: the start and verify steps of a restart. */
export function startSequence(target: RestartTarget, settings: SequenceSettings, deps: SequenceDeps): Promise<RestartOutcome> {
  return startSteps(target, settings, deps, beginSequence(target, deps), "start");
}

type SequenceSettings = RestartConfig & { startupGraceMs: number };
type SequenceDeps = { clock: Clock; signal: AbortSignal; onStep?: (step: StepRecord) => void };
type Run = ReturnType<typeof beginSequence>;
type Action = "restart" | "stop" | "start";

function beginSequence(target: RestartTarget, deps: SequenceDeps) {
  const { clock } = deps;
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
  return { steps, record, finish };
}

/** Stop, then force kill; null when the service is down, else how the sequence ended. */
async function stopSteps(target: RestartTarget, settings: SequenceSettings, { signal }: SequenceDeps, { record, finish }: Run, action: Action): Promise<RestartOutcome | null> {
  // A stop that times out is not a failure: the force kill below is its backup.
  record("stop", await target.runner.stop(settings.stopTimeoutMs, signal));
  if (signal.aborted) return finish(false, interruptedByShutdown(target.name, null, action));
  const kill = record("kill", await target.runner.kill(settings.killWaitMs, signal));
  if (signal.aborted) return finish(false, interruptedByShutdown(target.name, null, action));
  if (!kill.ok) return finish(false, action === "stop" ? `Cannot stop "${target.name}": ${kill.summary}` : `Cannot ${action} "${target.name}" as it did not stop: ${kill.summary}`, kill.cause);
  return null;
}

/** Start, then verify: how the sequence ended. */
async function startSteps(target: RestartTarget, settings: SequenceSettings, deps: SequenceDeps, { record, finish }: Run, action: "restart" | "start"): Promise<RestartOutcome> {
  const { clock, signal } = deps;
  const done = action === "restart" ? "Restarted" : "Started";
  // From here the log is the new run's: its checks count its age and lines from this start.
  await markStart(target.checks, clock.now());
  const start = record("start", await target.runner.start(settings.verifyTimeoutMs, signal));
  // Cancelled while it watched the fresh process: the process was spawned all the same.
  if (signal.aborted) return finish(false, interruptedByShutdown(target.name, startedPid(start), action));
  if (!start.ok) return finish(false, `Cannot ${action} "${target.name}" as it did not start: ${start.summary}`, start.cause);

  const verify = record("verify", await verifyStarted(target, settings, { clock, signal }));
  if (signal.aborted) return finish(false, interruptedByShutdown(target.name, startedPid(start), action));
  if (!verify.ok) return finish(false, `${done} "${target.name}" but ${verify.summary}`, verify.cause);
  return finish(true, `${done} "${target.name}": ${verify.summary}`);
}

/**
 * Lifeguard's shutdown (the signal's abort) cut the restart short: what it had done by then.
 * `started` is the new process's PID once it was spawned (a runner without PIDs: 0), else null;
 * the shutdown then stops it with the service's other processes.
 */
export function interruptedByShutdown(service: string, started: number | null, action: Action = "restart"): string {
  const where = started === null ? "before the new process started" : `after the new process started${started === 0 ? "" : ` (PID ${started})`}`;
  const what = { restart: "Restart", stop: "Stop", start: "Start" }[action];
  return `${what} of "${service}" interrupted by Lifeguard's shutdown${action === "stop" ? "" : ` ${where}`}`;
}

/** The PID a start step spawned, 0 when it started without naming one, null when nothing was spawned. */
function startedPid(start: StepRecord): number | null {
  const pid = start.evidence.pid;
  if (typeof pid === "number") return pid;
  return start.ok ? 0 : null;
}
