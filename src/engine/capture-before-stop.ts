import type { Observation } from "../core/outcome.js";
import { listsProcesses } from "../core/runner.js";
import { captureForensics, DEFAULT_FORENSICS_LIMITS } from "../process/forensics.js";
import { monotonicMs } from "../process/monotonic.js";
import { requestDump } from "../process/request-dump.js";
import type { StepRecord } from "./restart-sequence.js";
import type { ServiceParts } from "./service-parts.js";

/** The id of the check every service has: a restart it asked for is a crash or an exit, not a hang. */
const RUNNING = "running";

/**
 * The evidence of a hang, taken just before its restart's stop (a `forensics` step), or null when
 * none is due (the last lines of its log with it): the capture is off, the restart answers a crash (`running` failed), the runner
 * cannot tell the service's processes, or none runs. Bounded by `forensics.timeout`; never throws.
 */
export async function captureBeforeStop(parts: ServiceParts, failing: readonly Observation[], signal: AbortSignal): Promise<StepRecord | null> {
  const { forensics } = parts.config;
  const { runner } = parts;
  if (!forensics.enabled || failing.some((observation) => observation.check === RUNNING) || !listsProcesses(runner)) return null;
  const started = monotonicMs();
  const listed = await runner.processes(signal);
  if ("problem" in listed) return step(false, `Cannot tell the processes of "${parts.config.name}" to capture them: ${listed.problem}`, {}, started);
  const main = listed.main;
  if (main === null || listed.processes.length === 0) return null;
  // The main process first: the summary's "main thread" and the helper's {pid} are its.
  const pids = [main.pid, ...listed.processes.map((p) => p.pid).filter((pid) => pid !== main.pid)];
  const captured = await captureForensics(pids, forensics.exec, { ...DEFAULT_FORENSICS_LIMITS, budgetMs: forensics.timeoutMs });
  const left = Math.max(1, forensics.timeoutMs - (monotonicMs() - started));
  const dump = forensics.signal !== null && forensics.file !== null ? await requestDump(main.pid, forensics.signal, forensics.file, left) : null;
  const log = parts.lastLines === undefined ? null : await parts.lastLines(signal, Math.max(1, forensics.timeoutMs - (monotonicMs() - started)));
  return step(true, captured.summary, { ...captured, source: listed.source, ...(dump === null ? {} : { dump }), ...(log === null ? {} : { log }) }, started);
}

function step(ok: boolean, summary: string, evidence: Record<string, unknown>, started: number): StepRecord {
  return { step: "forensics", ok, summary, evidence, durationMs: Math.round(monotonicMs() - started), timedOut: false };
}
