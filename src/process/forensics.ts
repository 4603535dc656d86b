import { readFileSync } from "node:fs";
import { summariseForensics } from "../core/forensics-summary.js";
import { monotonicMs } from "./monotonic.js";
import { readStatQuietly } from "./list-processes.js";
import { readProcessCpu } from "./proc-cpu.js";
import { readTcpSockets } from "./proc-net-tcp.js";
import { runCommand } from "./run-command.js";
import { readSocketInodes } from "./socket-inodes.js";
import { readThreadStates, type ThreadState } from "./thread-states.js";

/** What a capture may cost: how long, how large, and how much of each list it reads. */
export interface ForensicsLimits {
  /** The whole capture, the helper command included, ends within this. */
  budgetMs: number;
  /** The JSON of the capture stays under this: kernel stacks go first, then threads past the first few. */
  maxBytes: number;
  maxProcesses: number;
  maxThreads: number;
}

export const DEFAULT_FORENSICS_LIMITS: ForensicsLimits = { budgetMs: 500, maxBytes: 64 * 1024, maxProcesses: 16, maxThreads: 64 };
/** What a helper command's output keeps (its end). */
const HELPER_OUTPUT_BYTES = 16 * 1024;
/** Threads kept per process when the capture is over its size. */
const THREADS_WHEN_CUT = 8;

/** One process of the service at the moment of the capture. */
export interface CapturedProcess {
  pid: number;
  rssBytes: number | null;
  /** CPU time it used since it started (user and system); null when unreadable. */
  cpuSeconds: number | null;
  threads: ThreadState[];
}

/** A connection of the service (not its listening sockets). */
export interface CapturedSocket {
  pid: number;
  local: string;
  remote: string;
  state: string;
  txQueue: number;
  rxQueue: number;
}

/** What was seen of a service just before it was stopped for a hang: stored with the restart. */
export interface Forensics {
  /** One line for the alert: where its threads wait, which connection does not move. */
  summary: string;
  processes: CapturedProcess[];
  sockets: CapturedSocket[];
  /** The helper command (`forensics: { exec: [...] }`), its exit and the end of its output. */
  helper: { argv: string[]; exitCode: number | null; timedOut: boolean; output: string } | null;
  tookMs: number;
  /** Something was left out to stay within the size (stacks, threads, processes past the limits). */
  cut: boolean;
}

/**
 * Captures the state of processes `pids` (the main one first): each one's threads with where
 * they wait (and kernel stacks when readable), its resident size and CPU time, its TCP connections with their
 * queues, and the output of `helper` (argv, `{pid}` replaced by the main pid), within `limits`.
 * Never throws: what cannot be read is left out.
 */
export async function captureForensics(pids: readonly number[], helper: readonly string[] | null, limits: ForensicsLimits = DEFAULT_FORENSICS_LIMITS): Promise<Forensics> {
  const started = monotonicMs();
  const root = process.getuid?.() === 0;
  let cut = pids.length > limits.maxProcesses;
  const processes: CapturedProcess[] = [];
  const sockets: CapturedSocket[] = [];
  for (const pid of pids.slice(0, limits.maxProcesses)) {
    const threads = readThreadStates(pid, { maxThreads: limits.maxThreads, stacks: root });
    if (threads === null) continue;
    processes.push({ pid, rssBytes: readRss(pid), cpuSeconds: readCpuSeconds(pid), threads });
    sockets.push(...connectionsOf(pid));
  }
  const main = pids[0];
  const left = limits.budgetMs - (monotonicMs() - started);
  const ran = helper === null || main === undefined ? null : await runHelper(helper.map((word) => word.replaceAll("{pid}", String(main))), Math.max(1, left));
  const forensics: Forensics = { summary: "", processes, sockets, helper: ran, tookMs: 0, cut };
  cut = fitWithin(forensics, limits.maxBytes) || cut;
  const seen = processes.map((p) => ({ pid: p.pid, threads: p.threads }));
  return { ...forensics, summary: summariseForensics(seen, sockets), tookMs: Math.round(monotonicMs() - started), cut };
}

/** The process's connections, by the inodes of its socket descriptors, in its own network namespace. */
function connectionsOf(pid: number): CapturedSocket[] {
  const held = readSocketInodes(pid);
  if (held === null || held.inodes.size === 0) return [];
  return readTcpSockets(pid)
    .filter((socket) => held.inodes.has(socket.inode) && socket.state !== "LISTEN")
    .map((socket) => ({ pid, local: `${socket.local.address}:${socket.local.port}`, remote: `${socket.remote.address}:${socket.remote.port}`, state: socket.state, txQueue: socket.txQueue, rxQueue: socket.rxQueue }));
}

async function runHelper(argv: string[], timeoutMs: number): Promise<Forensics["helper"]> {
  const result = await runCommand(argv, { timeoutMs, maxOutputBytes: HELPER_OUTPUT_BYTES, killGraceMs: 100 });
  const output = `${result.stdout}${result.stderr === "" ? "" : `\n${result.stderr}`}`.slice(-HELPER_OUTPUT_BYTES);
  return { argv, exitCode: result.exitCode, timedOut: result.timedOut, output: result.errorCode === null ? output : `cannot start ${argv[0] ?? ""}: ${result.errorCode}` };
}

/** The CPU time (user and system) process `pid` used so far; null when unreadable. */
function readCpuSeconds(pid: number): number | null {
  const stat = readStatQuietly(pid);
  const cpu = stat === null ? null : readProcessCpu({ pid, startTime: stat.startTime });
  return cpu === null ? null : Math.round(cpu.cpuMs) / 1000;
}

/** Resident size from /proc/PID/status's VmRSS (in kB whatever the page size: a Pi 5's are 16 KiB); null when unreadable. */
function readRss(pid: number): number | null {
  try {
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  } catch {
    return null;
  }
}

/** Drops kernel stacks, then threads past the first few of each process, until the JSON fits; true when it dropped anything. */
function fitWithin(forensics: Forensics, maxBytes: number): boolean {
  const size = (): number => Buffer.byteLength(JSON.stringify(forensics));
  if (size() <= maxBytes) return false;
  for (const captured of forensics.processes) for (const thread of captured.threads) thread.stack = null;
  if (size() > maxBytes) for (const captured of forensics.processes) captured.threads = captured.threads.slice(0, THREADS_WHEN_CUT);
  if (size() > maxBytes && forensics.helper !== null) forensics.helper.output = forensics.helper.output.slice(-Math.floor(maxBytes / 4));
  return true;
}
