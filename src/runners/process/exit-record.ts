import { monotonicMs } from "../../process/monotonic.js";
import { describeOomKill } from "./oom-cause.js";
import type { Run } from "./spawn-run.js";
import type { ProcessExit } from "./types.js";

/** Signals that end a service cleanly (systemd's view): `inactive`, not `failed`. */
const CLEAN_SIGNALS = new Set<string>(["SIGHUP", "SIGINT", "SIGTERM", "SIGPIPE"]);

/**
 * How `run` ended, as the runner tells its listeners and its status: `requested` when a stop,
 * kill or shutdown asked for it; its last output; and, for a SIGKILL nobody asked for while the
 * count of OOM kills rose, the OOM killer named as its cause (oom-cause.ts).
 */
export function exitRecord(run: Run, requested: boolean): ProcessExit {
  const exit = run.exit ?? { code: null, signal: null, at: Date.now(), uptimeMs: monotonicMs() - run.startedMono };
  const clean = exit.code === 0 || (exit.signal !== null && (requested || CLEAN_SIGNALS.has(exit.signal)));
  const { oomKills, ...ended } = exit;
  const lastOutput = run.output.lastLine();
  const oomKill = requested || oomKills === undefined ? undefined : describeOomKill(run.oomBefore, oomKills);
  return { pid: run.pid, ...ended, requested, state: clean ? "inactive" : "failed", ...(lastOutput === undefined ? {} : { lastOutput }), ...(oomKill === undefined ? {} : { oomKill }) };
}
