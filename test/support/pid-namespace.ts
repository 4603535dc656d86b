import { spawn } from "node:child_process";
import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { listPids } from "../../src/process/list-processes.js";
import { readProcStat, type ProcStat } from "../../src/process/proc-stat.js";
import { runCommand, type CommandResult } from "../../src/process/run-command.js";
import { waitFor } from "../../src/testing/wait-for.js";

/** A process of the namespace as the host's /proc shows it: its host stat, and its pid inside. */
export interface NamespaceProcess {
  stat: ProcStat;
  /** Its pid in the namespace (the last of `NSpid:`). */
  inside: number;
}

/** How unshare ended, which is how the namespace's PID 1 ended: its exit code, or the signal that killed it. */
export interface NamespaceEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A program run as PID 1 of a PID namespace of its own, watched from the host (as Docker runs an entrypoint). */
export interface NamespaceInit {
  /** The program's pid on the host; it is PID 1 inside. */
  pid: number;
  /** The namespace, as `/proc/PID/ns/pid` names it (`pid:[4026532...]`). */
  namespace: string;
  exited: Promise<NamespaceEnd>;
  /** Every process in the namespace now, zombies included. */
  processes(): NamespaceProcess[];
  /** The host stat of the process that is `inside` in the namespace; null when there is none. */
  find(inside: number): ProcStat | null;
  /** Runs `argv` inside the namespace's PID and mount namespaces (as `docker exec` does), bounded. */
  exec(argv: string[], options?: { cwd?: string }): Promise<CommandResult>;
  /**
   * SIGKILL to PID 1 (the kernel then kills every process of the namespace) and to unshare
   * (`--kill-child` passes that on to a PID 1 not found yet), each by pid checked by start time;
   * resolves once unshare ended, which it does only once the namespace is empty. Idempotent.
   */
  destroy(): Promise<void>;
}

/**
 * Starts `argv` as PID 1 of a new PID namespace with its own /proc:
 * `unshare --pid --fork --kill-child --mount-proc ARGV`, in a process group of its own. Call
 * `destroy()` after the test, whatever happened; a start that finds no PID 1 destroys what it began.
 */
export async function startNamespaceInit(argv: string[], options: { cwd: string }): Promise<NamespaceInit> {
  const unshare = spawn("unshare", ["--pid", "--fork", "--kill-child", "--mount-proc", ...argv], { cwd: options.cwd, detached: true, stdio: "ignore" });
  const exited = new Promise<NamespaceEnd>((resolve) => unshare.once("exit", (code, signal) => resolve({ code, signal })));
  const refs: Array<ProcStat | null> = [readProcStat(unshare.pid as number)];
  const destroy = async (): Promise<void> => {
    for (const ref of refs) {
      const now = ref === null ? null : readProcStat(ref.pid);
      if (ref !== null && now !== null && now.startTime === ref.startTime && now.state !== "Z") process.kill(ref.pid, "SIGKILL");
    }
    await exited;
  };
  const seen: { namespace: string; init: ProcStat | null } = { namespace: "", init: null };
  await waitFor(() => {
    seen.namespace = readLink(`/proc/${unshare.pid}/ns/pid_for_children`) ?? "";
    seen.init = seen.namespace === "" ? null : (inNamespace(seen.namespace).find((entry) => entry.inside === 1)?.stat ?? null);
    return seen.init !== null;
  }, { timeoutMs: 10_000 });
  const { namespace, init: found } = seen;
  if (found === null) {
    await destroy();
    throw new Error(`No PID 1 in the namespace of unshare (PID ${unshare.pid})`);
  }
  refs.unshift(found);
  const pid = found.pid;
  return {
    pid,
    namespace,
    exited,
    destroy,
    processes: () => inNamespace(namespace),
    find: (inside) => inNamespace(namespace).find((entry) => entry.inside === inside)?.stat ?? null,
    exec: (command, execOptions = {}) =>
      runCommand(["nsenter", "-t", String(pid), "-p", "-m", ...(execOptions.cwd === undefined ? [] : [`--wd=${execOptions.cwd}`]), "--", ...command], { timeoutMs: 30_000 }),
  };
}

/** Every process whose PID namespace is `namespace`, read from the host's /proc. */
function inNamespace(namespace: string): NamespaceProcess[] {
  const processes: NamespaceProcess[] = [];
  for (const pid of listPids()) {
    if (readLink(`/proc/${pid}/ns/pid`) !== namespace) continue;
    const stat = readQuietly(() => readProcStat(pid));
    const inside = readQuietly(() => Number(/^NSpid:\s.*?(\d+)\s*$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]));
    if (stat !== null && inside !== null && Number.isInteger(inside)) processes.push({ stat, inside });
  }
  return processes;
}

/** The mask of signals a process has a handler for (`SigCgt:` of /proc/PID/status). */
export function caughtSignals(pid: number): bigint {
  const mask = /^SigCgt:\s*([0-9a-f]+)$/m.exec(existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, "utf8") : "")?.[1];
  return mask === undefined ? 0n : BigInt(`0x${mask}`);
}

/** Whether `mask` holds a handler for signal number `signal`. */
export function catches(mask: bigint, signal: number): boolean {
  return (mask & (1n << BigInt(signal - 1))) !== 0n;
}

function readLink(path: string): string | null {
  return readQuietly(() => readlinkSync(path));
}

/** A process that ends while it is read is not there. */
function readQuietly<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
