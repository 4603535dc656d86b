import { adoptedProcesses, reapAdoptedZombies } from "./subreaper.js";
import { readProcStat } from "./proc-stat.js";

const POLL_MS = 50;
const KILL_WAIT_MS = 1_000;

/**
 * Ends the orphans Lifeguard adopted as a child subreaper (its children that Node did not spawn):
 * SIGTERM, `stopTimeoutMs` for them to go, then SIGKILL. Each is signalled only while its pid
 * still names the same process (start time), and reaped once it ended. Returns the pids signalled.
 */
export async function stopAdopted(stopTimeoutMs: number): Promise<number[]> {
  const adopted = adoptedProcesses();
  if (adopted.length === 0) return [];
  const signal = (name: NodeJS.Signals): void => {
    for (const stat of adopted) {
      if (readProcStat(stat.pid)?.startTime !== stat.startTime) continue;
      try {
        process.kill(stat.pid, name);
      } catch {
        // ended in between
      }
    }
  };
  const alive = (): boolean => {
    reapAdoptedZombies();
    return adopted.some((stat) => {
      const now = readProcStat(stat.pid);
      return now !== null && now.startTime === stat.startTime && now.state !== "Z";
    });
  };
  signal("SIGTERM");
  signal("SIGCONT");
  if (!(await waitWhile(alive, stopTimeoutMs))) return adopted.map((stat) => stat.pid);
  signal("SIGKILL");
  await waitWhile(alive, KILL_WAIT_MS);
  return adopted.map((stat) => stat.pid);
}

/** Polls `alive` until it is false (returns false) or `ms` passed (returns true). */
async function waitWhile(alive: () => boolean, ms: number): Promise<boolean> {
  for (let waited = 0; alive(); waited += POLL_MS) {
    if (waited >= ms) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
