import type { CpuCheckConfig } from "../config/types.js";
import { growthOver } from "../core/count-growth.js";
import { keepSpan } from "../core/cpu-usage.js";
import { formatDuration } from "../core/duration.js";
import type { ServiceProcesses } from "../core/runner.js";
import { longestStuck, trackStuck } from "../core/stuck-threads.js";
import { recentProcesses } from "../process/list-processes.js";
import { processTree } from "../process/own-children.js";
import { readThreadsInState, type ThreadInState } from "../process/threads-in-state.js";
import { zombieChildren } from "../process/zombie-children.js";

/** How old a look at the whole process table may be to find zombies where the kernel keeps no children lists. */
const TABLE_AGE_MS = 1000;
/** How many zombies the evidence names. */
const ZOMBIES_SHOWN = 10;

/** The counts `growing` watches, as its options name them, and what their growth suggests. */
const GROWING = [
  { name: "threads", noun: "threads", guess: "threads it starts and never ends" },
  { name: "fds", noun: "open files", guess: "files or sockets it opens and never closes" },
] as const;

/** What one look at the service's process states found: numbers for the evidence, and the failure, if any. */
export interface StatesLook {
  evidence: Record<string, unknown>;
  failure: string | null;
}

/** The `cpu` check's process states of one service, kept across the daemon's rounds. */
export interface StatesWatch {
  look(listed: ServiceProcesses, counts: { threads: number; fds: number }, at: number): StatesLook;
  /** Forgets what earlier looks saw: a new main process (a restart), or none runs. */
  reset(): void;
}

/**
 * Watches the states `config` asks for: threads stuck in uninterruptible sleep (`stuck-in-d`,
 * core/stuck-threads.ts), zombie children (`max-zombies`), and threads or open files that grow
 * without bound (`growing`, core/count-growth.ts). Nothing is read for a state not asked for.
 */
export function watchStates(config: CpuCheckConfig, service: string): StatesWatch {
  const windowMs = Math.max(config.threadsGrowingMs ?? 0, config.fdsGrowingMs ?? 0);
  let stuck = new Map<string, number>();
  let samples: { at: number; threads: number; fds: number }[] = [];
  const who = `"${service}"`;
  return {
    reset: () => {
      [stuck, samples] = [new Map(), []];
    },
    look: (listed, counts, at) => {
      const evidence: Record<string, unknown> = {};
      const failures: string[] = [];
      if (config.stuckInDMs !== null) {
        const inD = threadsInD(listed);
        stuck = trackStuck(stuck, inD.keys(), at);
        evidence.threadsInD = inD.size;
        const longest = longestStuck(stuck, at);
        const thread = longest === null ? undefined : inD.get(longest.key);
        if (longest !== null && thread !== undefined) {
          evidence.stuckThread = { tid: thread.tid, pid: thread.pid, name: thread.name, wchan: thread.wchan, forMs: longest.forMs };
          if (longest.forMs > config.stuckInDMs) failures.push(describeStuck(who, thread, longest.forMs, config.stuckInDMs));
        }
      }
      if (config.maxZombies !== null) {
        // The service's processes and their children (zombies included) from the children lists: a few files, not the whole table.
        const zombies = zombieChildren(listed.processes, processTree(listed.processes) ?? recentProcesses(TABLE_AGE_MS));
        Object.assign(evidence, { zombies: zombies.length }, zombies.length === 0 ? {} : { zombiePids: zombies.slice(0, ZOMBIES_SHOWN).map((zombie) => zombie.pid) });
        const parents = [...new Set(zombies.map((zombie) => zombie.ppid))];
        if (zombies.length > config.maxZombies) failures.push(`${who} has ${zombies.length} zombie processes, children it never reaped (of pid ${parents.join(", ")}), over its max-zombies of ${config.maxZombies}`);
      }
      if (windowMs > 0) {
        samples = keepSpan([...samples, { at, ...counts }], at, windowMs);
        for (const { name, ms, noun, guess } of GROWING.map((kind) => ({ ...kind, ms: kind.name === "threads" ? config.threadsGrowingMs : config.fdsGrowingMs }))) {
          const growth = ms === null ? null : growthOver(samples.map((sample) => ({ at: sample.at, count: sample[name] })), ms);
          if (growth === null || ms === null) continue;
          evidence[`${name}Lows`] = growth.lows;
          failures.push(`${who}'s ${noun} rose across the last ${formatDuration(growth.spanMs)} with no return to an earlier low (the low of each part: ${growth.lows.join(", ")}), over its growing ${name} of ${formatDuration(ms)}: ${guess}?`);
        }
      }
      return { evidence, failure: failures[0] ?? null };
    },
  };
}

/** The threads of the service's processes in `D` now, by tid and start time; a thread older than its process is another's (the pid was reused). */
function threadsInD(listed: ServiceProcesses): Map<string, ThreadInState & { pid: number }> {
  const found = new Map<string, ThreadInState & { pid: number }>();
  for (const process of listed.processes) {
    for (const thread of readThreadsInState(process.pid, "D")) if (thread.startTime >= process.startTime) found.set(`${thread.tid}:${thread.startTime}`, { ...thread, pid: process.pid });
  }
  return found;
}

/** `"bot"'s thread 4242 ("worker") has been in uninterruptible sleep (D) for 2m, waiting in nfs_wait_bit_killable, over its stuck-in-d of 1m: a hung disk, NFS mount or driver?` */
function describeStuck(who: string, thread: ThreadInState, forMs: number, limitMs: number): string {
  const where = thread.wchan === null ? "" : `, waiting in ${thread.wchan}`;
  return `${who}'s thread ${thread.tid} ("${thread.name}") has been in uninterruptible sleep (D) for ${formatDuration(forMs)}${where}, over its stuck-in-d of ${formatDuration(limitMs)}: a hung disk, NFS mount or driver?`;
}
