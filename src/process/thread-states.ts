import { readdirSync, readFileSync } from "node:fs";

/** One thread of a process as /proc shows it at one moment. */
export interface ThreadState {
  tid: number;
  /** Its name (`comm`): a Python thread's is the program's unless it set one. */
  name: string;
  /** One letter: `R` running, `S` sleeping, `D` uninterruptible (disk, NFS, a driver), `T` stopped, `Z` zombie. */
  state: string;
  /** The kernel function it sleeps in (`futex_wait_queue`: a lock; `do_epoll_wait`, `inet_csk_accept`...), or null when running or unreadable. */
  wchan: string | null;
  /** User and system CPU time, in clock ticks. */
  cpuTicks: number;
  /** Its kernel stack, function names only (`futex_wait_queue`, `do_syscall_64`...): only root may read it; null otherwise. */
  stack: string[] | null;
}

export interface ReadThreadsOptions {
  /** A process with more threads than this is read this far (in /proc's order). */
  maxThreads: number;
  /** Read each thread's kernel stack too (root only; a few reads more per thread). */
  stacks: boolean;
}

/**
 * The threads of process `pid`: their states, where in the kernel each one waits, and with
 * `stacks`, their kernel stacks. Null when the process is gone; a thread that ends meanwhile is
 * left out. What cannot be read (wchan or stack of another user's process) is null, not an error.
 */
export function readThreadStates(pid: number, options: ReadThreadsOptions): ThreadState[] | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const threads: ThreadState[] = [];
  for (const tid of tids.slice(0, options.maxThreads)) {
    const base = `/proc/${pid}/task/${tid}`;
    const stat = readOptional(`${base}/stat`);
    const parsed = stat === null ? null : parseThreadStat(stat);
    if (parsed === null) continue;
    const wchan = readOptional(`${base}/wchan`)?.trim() ?? null;
    const stack = options.stacks ? parseKernelStack(readOptional(`${base}/stack`)) : null;
    threads.push({ tid: Number(tid), ...parsed, wchan: wchan === null || wchan === "" || wchan === "0" ? null : wchan, stack });
  }
  return threads;
}

/** The name, state and CPU ticks of a `/proc/PID/task/TID/stat` line; the name may hold spaces and `)`. */
export function parseThreadStat(text: string): { name: string; state: string; cpuTicks: number } | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return null;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  // After the name: state is field 3 of proc(5), utime 14 and stime 15.
  const [state, utime, stime] = [fields[0], Number(fields[11]), Number(fields[12])];
  if (state === undefined || !/^[A-Za-z]$/.test(state) || !Number.isSafeInteger(utime) || !Number.isSafeInteger(stime)) return null;
  return { name: text.slice(open + 1, close), state, cpuTicks: utime + stime };
}

/** `[<0>] futex_wait_queue+0x6c/0xa0` lines, as function names; null for an unreadable or empty stack. */
export function parseKernelStack(text: string | null): string[] | null {
  if (text === null) return null;
  const frames = text.split("\n").map((line) => /\]\s+([A-Za-z0-9_.]+)/.exec(line)?.[1]).filter((name): name is string => name !== undefined);
  return frames.length === 0 ? null : frames;
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}
