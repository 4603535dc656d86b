import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { monotonicMs } from "../../process/monotonic.js";
import { readProcStat } from "../../process/proc-stat.js";
import { moveIntoCgroup, spawnInside } from "../../process/delegated-cgroup.js";
import { readOomCount, type OomCount } from "./oom-cause.js";
import type { OutputLog } from "./output-log.js";
import { RUN_TOKEN_VARIABLE, type MemberCache, type OwnedGroup } from "./process-group.js";
import type { UserAccount } from "./resolve-user.js";

/** After the exit, how long output still in the pipes is read before the exit is reported. */
export const DRAIN_MS = 50;

/** How the leader ended, as Node's `exit` event told it: at once, not by polling. */
export interface LeaderExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall-clock ms since the epoch when the exit was seen. */
  at: number;
  uptimeMs: number;
  /** The OOM kills counted when SIGKILL ended it (its cgroup's or the machine's), to compare with `Run.oomBefore`. */
  oomKills?: OomCount | null;
}

/** One spawned service process: the leader of its own process group and session. */
export interface Run {
  readonly pid: number;
  readonly group: OwnedGroup;
  /** Which processes were found to belong to this run (see groupMembers). */
  readonly seen: MemberCache;
  /** Wall-clock ms since the epoch. */
  readonly startedAt: number;
  /** monotonicMs() at the spawn, for the uptime. */
  readonly startedMono: number;
  readonly output: OutputLog;
  /** The OOM kills counted right before the spawn: a SIGKILL with more at the exit was probably the OOM killer's. */
  readonly oomBefore: OomCount | null;
  /** Null while the leader runs (or is a zombie Node has not reaped yet). */
  exit: LeaderExit | null;
  readonly exited: Promise<LeaderExit>;
  /** Resolves once the output written before the exit was read: both pipes closed, or DRAIN_MS after the exit. */
  readonly drained: Promise<void>;
  /**
   * Stops reading its output: a helper that outlived the run (one that cannot be killed, in
   * uninterruptible sleep) holds the pipes open, and must not keep Lifeguard from exiting.
   */
  detach(): void;
}

export interface RunSpec {
  command: readonly string[];
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  /** The run's identity in its processes' environment (`RUN_TOKEN_VARIABLE`): see OwnedGroup. */
  token: string;
  /** See OwnedGroup.claimsAdopted. */
  claimsAdopted: boolean;
  /** The service's cgroup to start the run in (OwnedGroup.cgroup); null: none. */
  cgroup: string | null;
  account: UserAccount | null;
  output: OutputLog;
}

/**
 * Spawns the command (never through a shell) detached: in a new session and process group whose
 * id is its pid, so that signals reach its helpers and never Lifeguard. stdin is /dev/null; stdout
 * and stderr are piped into `output` and always drained. With a `cgroup`, the child is born in it
 * (spawnInside). Node reaps the child (no zombie) and reports its exit by event. Resolves with
 * the run, or the error that prevented the start.
 */
export async function spawnRun(spec: RunSpec): Promise<{ run: Run } | { error: NodeJS.ErrnoException }> {
  const [file, ...args] = spec.command;
  if (file === undefined) return { error: Object.assign(new Error("The command is empty"), { code: "EINVAL" }) };
  let child: ChildProcess;
  const oomBefore = readOomCount(spec.cgroup);
  const start = (): ChildProcess => spawn(file, args, {
    cwd: spec.cwd,
    env: { ...spec.env, [RUN_TOKEN_VARIABLE]: spec.token },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    ...(spec.account === null ? {} : { uid: spec.account.uid, gid: spec.account.gid }),
  });
  let inside = false;
  try {
    if (spec.cgroup === null) child = start();
    else ({ result: child, inside } = spawnInside(spec.cgroup, start));
  } catch (error) {
    return { error: error as NodeJS.ErrnoException }; // e.g. EPERM when Lifeguard may not switch users
  }
  const pid = child.pid;
  if (pid === undefined) return { error: await new Promise<NodeJS.ErrnoException>((resolve) => child.once("error", resolve)) };
  // Lifeguard could not enter the cgroup: the child goes in now, and what it forked already is found by its token.
  if (spec.cgroup !== null && !inside) moveIntoCgroup(spec.cgroup, pid);
  return { run: track(child, pid, spec, oomBefore) };
}

function track(child: ChildProcess, pid: number, { output, token, claimsAdopted, cgroup }: RunSpec, oomBefore: OomCount | null): Run {
  // Read before the event loop runs again: Node cannot have reaped the child yet, so pid is ours.
  const stat = readProcStat(pid);
  const startedMono = monotonicMs();
  let onExit: (exit: LeaderExit) => void = () => undefined;
  const exited = new Promise<LeaderExit>((resolve) => (onExit = resolve));
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const run: Run = {
    pid,
    group: { pgid: pid, leaderStartTime: stat?.startTime ?? null, token, claimsAdopted, cgroup },
    seen: new Map(),
    startedAt: Date.now(),
    startedMono,
    output,
    oomBefore,
    exit: null,
    exited,
    drained: exited.then(() => Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, DRAIN_MS))])),
    detach: () => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk: Buffer) => output.write(chunk));
    stream?.on("error", () => undefined);
  }
  child.on("error", () => undefined); // a failed kill(); the runner signals the group itself
  child.once("exit", (code, signal) => {
    // Read at once: another OOM kill on the machine later must not be taken for this one's.
    run.exit = { code, signal, at: Date.now(), uptimeMs: monotonicMs() - startedMono, ...(signal === "SIGKILL" ? { oomKills: readOomCount(cgroup ?? null) } : {}) };
    onExit(run.exit);
  });
  return run;
}

/** Whether `path` is a directory: tells a missing working directory from a missing program (both ENOENT). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
