import { monotonicMs } from "./monotonic.js";
import type { ProcStat } from "./proc-stat.js";
import { raceWait } from "./race-wait.js";

/** Processes to end: how to signal all of them, and which of them still run (verified by identity). */
export interface ProcessesToEnd {
  signal(name: NodeJS.Signals): void;
  remaining(): ProcStat[];
}

export interface EndOptions {
  stopTimeoutMs: number;
  killWaitMs: number;
  pollMs: number;
  signal: AbortSignal;
}

/** What the sequence left running (empty once all ended), and whether it came to SIGKILL. */
export interface EndResult {
  left: ProcStat[];
  killed: boolean;
}

/**
 * The safe stop sequence for processes that are not Node's children (no exit event to wait for):
 * SIGTERM and SIGCONT (a stopped process acts on SIGTERM only once continued), `stopTimeoutMs`
 * for them to end, then SIGKILL, sent again at each look, and `killWaitMs`. Looks every `pollMs`.
 */
export async function endProcesses(target: ProcessesToEnd, options: EndOptions): Promise<EndResult> {
  target.signal("SIGTERM");
  target.signal("SIGCONT");
  const left = await waitUntilGone(target, monotonicMs() + options.stopTimeoutMs, options, false);
  if (left.length === 0) return { left, killed: false };
  target.signal("SIGKILL");
  return { left: await waitUntilGone(target, monotonicMs() + options.killWaitMs, options, true), killed: true };
}

async function waitUntilGone(target: ProcessesToEnd, deadline: number, options: EndOptions, resendKill: boolean): Promise<ProcStat[]> {
  for (;;) {
    const left = target.remaining();
    const wait = deadline - monotonicMs();
    if (left.length === 0 || wait <= 0) return left;
    if ((await raceWait(null, Math.min(options.pollMs, wait), options.signal)) === "aborted") return target.remaining();
    if (resendKill) target.signal("SIGKILL");
  }
}
