import { endProcesses } from "./end-processes.js";
import { readProcStat, type ProcStat } from "./proc-stat.js";
import { adoptedProcesses, reapAdoptedZombies } from "./subreaper.js";

const POLL_MS = 50;
const KILL_WAIT_MS = 1_000;

/**
 * Ends the orphans Lifeguard adopted as a child subreaper (its children that Node did not spawn)
 * through the safe stop sequence, `stopTimeoutMs` after SIGTERM. Each is signalled only while its
 * pid still names the same process (start time), and reaped once it ended. Returns the pids it
 * found; those still running after SIGKILL, if any, in `left`.
 */
export async function stopAdopted(stopTimeoutMs: number, signal: AbortSignal = new AbortController().signal): Promise<{ pids: number[]; left: ProcStat[] }> {
  const adopted = adoptedProcesses();
  if (adopted.length === 0) return { pids: [], left: [] };
  const running = (): ProcStat[] => {
    const alive = adopted.filter((stat) => {
      const now = readProcStat(stat.pid);
      return now !== null && now.startTime === stat.startTime && now.state !== "Z";
    });
    // Reaped after the look: one that ended just before it is a zombie by now, and none is left behind.
    reapAdoptedZombies();
    return alive;
  };
  const { left } = await endProcesses({
    signal: (name) => {
      for (const stat of running()) {
        try {
          process.kill(stat.pid, name);
        } catch {
          // ended in between
        }
      }
    },
    remaining: running,
  }, { stopTimeoutMs, killWaitMs: KILL_WAIT_MS, pollMs: POLL_MS, signal });
  return { pids: adopted.map((stat) => stat.pid), left };
}
