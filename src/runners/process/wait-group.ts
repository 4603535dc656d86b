import { monotonicMs } from "../../process/monotonic.js";
import type { ProcStat } from "../../process/proc-stat.js";
import { raceWait } from "../../process/race-wait.js";
import { groupMembers, signalGroup } from "./process-group.js";
import type { Run } from "./spawn-run.js";

/** What a wait for a run's whole group to end saw. */
export interface GroupWait {
  ended: boolean;
  aborted: boolean;
  /** The group's living processes at the end of the wait (none when it ended). */
  left: ProcStat[];
}

/**
 * Waits until the leader has exited and no process of the run is left, `deadline`
 * (a monotonicMs() time) passes, or `signal` aborts. The leader's exit is an event; other members
 * are not our children, so once the leader is gone they are looked up in /proc every `pollMs`.
 * `resend` is signalled to the group again at each look (SIGKILL for what a fork raced past).
 */
export async function waitForGroupEnd(run: Run, options: { deadline: number; signal: AbortSignal; resend: NodeJS.Signals | null; pollMs: number }): Promise<GroupWait> {
  for (;;) {
    const left = groupMembers(run.group, run.seen);
    if (run.exit !== null && left.length === 0) return { ended: true, aborted: false, left };
    const remaining = options.deadline - monotonicMs();
    if (remaining <= 0) return { ended: false, aborted: false, left };
    const waited = await raceWait(run.exit === null ? run.exited : null, run.exit === null ? remaining : Math.min(options.pollMs, remaining), options.signal);
    if (waited === "aborted") return { ended: false, aborted: true, left: groupMembers(run.group, run.seen) };
    if (options.resend !== null && run.exit !== null) signalGroup(run.group, options.resend, false, run.seen);
  }
}
