import { formatSize } from "./duration.js";

// What a pre-kill capture says in one line, for the alert and the history: where each thread
// waits, and which connection does not move. Pure: it reads the capture's plain data.

/** A thread as the capture saw it (the fields the summary reads). */
export interface SeenThread {
  tid: number;
  name: string;
  state: string;
  wchan: string | null;
}

/** A connection as the capture saw it. */
export interface SeenSocket {
  remote: string;
  state: string;
  txQueue: number;
  rxQueue: number;
}

/** How many threads of one process the line names before it counts the rest. */
const THREADS_NAMED = 3;
/** How many connections it names. */
const SOCKETS_NAMED = 2;

/**
 * One line: `main thread in futex_wait_queue; 2 threads in futex_wait_queue ("worker", "feed");
 * socket to 127.0.0.1:4002 with 2.1KiB unsent`. Threads are grouped by where they wait, the main
 * thread (tid = pid) first; a thread in `D` (uninterruptible) says so. Sockets with a queue come
 * first, the most bytes first; an idle established one is named only when nothing else is.
 */
export function summariseForensics(processes: ReadonlyArray<{ pid: number; threads: readonly SeenThread[] }>, sockets: readonly SeenSocket[]): string {
  const parts = processes.flatMap((process) => describeThreads(process.pid, process.threads));
  const queued = [...sockets].filter((socket) => socket.txQueue > 0 || socket.rxQueue > 0).sort((a, b) => b.txQueue + b.rxQueue - (a.txQueue + a.rxQueue));
  const named = queued.length > 0 ? queued : sockets.filter((socket) => socket.state === "ESTABLISHED");
  parts.push(...named.slice(0, SOCKETS_NAMED).map(describeSocket));
  if (named.length > SOCKETS_NAMED) parts.push(`${named.length - SOCKETS_NAMED} more connections`);
  return parts.length === 0 ? "nothing could be read of its processes" : parts.join("; ");
}

function describeThreads(pid: number, threads: readonly SeenThread[]): string[] {
  const where = (thread: SeenThread): string => {
    if (thread.state === "D") return `uninterruptible in ${thread.wchan ?? "the kernel"}`;
    if (thread.state === "T" || thread.state === "t") return "stopped (SIGSTOP or a debugger)";
    return thread.state === "R" ? "running" : thread.state === "Z" ? "a zombie" : `in ${thread.wchan ?? "an unknown wait"}`;
  };
  const main = threads.find((thread) => thread.tid === pid);
  const out = main === undefined ? [] : [`main thread ${where(main)}`];
  const groups = new Map<string, string[]>();
  for (const thread of threads) {
    if (thread === main) continue;
    const key = where(thread);
    groups.set(key, [...(groups.get(key) ?? []), thread.name]);
  }
  for (const [key, names] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    const shown = names.slice(0, THREADS_NAMED).map((name) => `"${name}"`).join(", ");
    const more = names.length > THREADS_NAMED ? `, ${names.length - THREADS_NAMED} more` : "";
    out.push(`${names.length === 1 ? "1 thread" : `${names.length} threads`} ${key} (${shown}${more})`);
  }
  return out;
}

function describeSocket(socket: SeenSocket): string {
  const queues = [socket.txQueue > 0 ? `${formatSize(socket.txQueue)} unsent` : null, socket.rxQueue > 0 ? `${formatSize(socket.rxQueue)} unread` : null].filter((part) => part !== null);
  return `socket to ${socket.remote}${socket.state === "ESTABLISHED" ? "" : ` (${socket.state})`}${queues.length === 0 ? "" : ` with ${queues.join(" and ")}`}`;
}
