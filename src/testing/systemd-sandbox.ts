import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as delay } from "node:timers/promises";
import { parseProcStat, readProcStat, type ProcStat } from "../process/proc-stat.js";
import { runCommand, type CommandResult, type RunCommandOptions } from "../process/run-command.js";
import { bootScript } from "./sandbox/boot-script.js";
import { destroySandboxSync, killRecorded, LAB_ROOT, reapStaleSandboxes, recordPath, removeCgroupTrees, type ProcessRef, type SandboxRecord } from "./sandbox/cleanup.js";

export { LAB_ROOT } from "./sandbox/cleanup.js";

const SYSTEMD = "/lib/systemd/systemd";
/** The checkout: the bots, the CLI and its node_modules must be visible inside the sandbox. */
const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
/** The sandbox mounts fresh tmpfs here; paths below them are bound back in by the boot script. */
const TMPFS_MOUNTS = ["/tmp", "/var/tmp", "/run"];

function hiddenByTmpfs(paths: string[]): string[] {
  return [...new Set(paths)].filter((path) => TMPFS_MOUNTS.some((mount) => path === mount || path.startsWith(`${mount}/`)));
}
const TOOLS = ["unshare", "nsenter", "ip", "mount"];
const DEFAULT_READY_TIMEOUT_MS = 30_000;
const EXEC_TIMEOUT_MS = 30_000;
const POLL_MS = 25;

/** A private systemd (PID 1 of its own PID, mount, UTS and network namespaces) for one test file. */
export interface Sandbox {
  /** Host pid of the sandbox's systemd; SIGSTOP it to make every systemctl hang. */
  readonly pid: number;
  /** argv prefix that runs the real systemctl against this systemd. */
  readonly systemctl: string[];
  /** argv prefix (ending in `--`) that runs any command inside the sandbox's namespaces, with `/` as working directory. */
  readonly nsenterArgs: string[];
  /** A fresh directory on the real disk, seen at the same path inside and outside (the sandbox's /tmp is private). Mode 0755. */
  readonly workdir: string;
  /** Runs `argv` inside the namespaces (never through a shell), bounded by 30s unless told. */
  exec(argv: string[], options?: Partial<RunCommandOptions>): Promise<CommandResult>;
  /** The host path of a path inside the sandbox's mount namespace, e.g. for its private /run. */
  hostPath(insidePath: string): string;
  /** `/proc/PID/stat` of a process as the sandbox numbers it; null when there is none. */
  procStat(pid: number): ProcStat | null;
  /** Writes `/run/systemd/system/<name>` inside the sandbox; call `daemonReload()` afterwards. */
  writeUnit(name: string, text: string): Promise<void>;
  /** `systemctl daemon-reload`; throws when it fails. */
  daemonReload(): Promise<void>;
  /** Kills the sandbox (SIGKILL to its systemd ends every process in it), removes its cgroups and workdir. Idempotent. */
  stop(): Promise<void>;
}

export interface SandboxOptions {
  /** Start journald inside (its journal lives on a private tmpfs). */
  journal?: boolean;
  readyTimeoutMs?: number;
  /**
   * Give the sandbox a writable /etc of its own: an overlay on the host's, its changes in this
   * directory (kept after stop(): a new sandbox booted on it sees them, as after a reboot), its
   * /etc/systemd/system too (units installed and enabled in one sandbox are there in the next).
   */
  etcOverlay?: string;
  /**
   * A target the sandbox boots into besides its own, as a machine does (`multi-user.target`: what
   * `systemctl enable` hooks services to). By default only what a test starts runs.
   */
  bootTarget?: string;
}

/** Whether sandboxes can run here; the reason is shown when tests skip. */
export function sandboxSupport(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== "linux") return { ok: false, reason: "systemd sandboxes need Linux" };
  if (process.getuid?.() !== 0) return { ok: false, reason: "systemd sandboxes need root (unshare, nsenter); CI runs them as root" };
  if (!existsSync(SYSTEMD)) return { ok: false, reason: `${SYSTEMD} is not installed (Debian package "systemd")` };
  const missing = TOOLS.filter((tool) => findTool(tool) === null);
  if (missing.length > 0) return { ok: false, reason: `Missing ${missing.join(", ")} (Debian packages "util-linux", "mount", "iproute2")` };
  return { ok: true };
}

/** Boots a sandbox and resolves once its systemd says it is running (or degraded). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const support = sandboxSupport();
  if (!support.ok) throw new Error(`Cannot start a systemd sandbox: ${support.reason}`);
  reapStaleSandboxes();
  const id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const workdir = join(LAB_ROOT, id);
  mkdirSync(workdir, { recursive: true });
  chmodSync(LAB_ROOT, 0o755);
  chmodSync(workdir, 0o755);
  const record: SandboxRecord = { kind: "lifeguard-sandbox", id, workdir, cgroup: `lifeguard-lab-${id}`, owner: selfRef(), unshare: null, systemd: null };
  const saveRecord = (): void => writeFileSync(recordPath(workdir), `${JSON.stringify(record, null, 2)}\n`);
  saveRecord();
  live.add(record);
  installSafetyNet();

  const boot = join(workdir, "boot.sh");
  const keep = { paths: hiddenByTmpfs([REPO_ROOT, dirname(process.execPath)]), stash: join(workdir, "keep") };
  writeFileSync(boot, bootScript({ cgroup: record.cgroup, journal: options.journal ?? false, keep, ...(options.etcOverlay === undefined ? {} : { etcOverlay: options.etcOverlay }), ...(options.bootTarget === undefined ? {} : { bootTarget: options.bootTarget }) }), { mode: 0o755 });
  const log = openSync(join(workdir, "boot.log"), "a");
  const unshare = spawn("unshare", ["--pid", "--fork", "--mount", "--uts", "--net", "--mount-proc", boot], { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  unshare.unref(); // a test that forgets stop() must not hang its process: the exit safety net ends the sandbox
  const exited = new Promise<void>((resolve) => unshare.once("close", () => resolve()));
  unshare.on("error", () => undefined); // a failed spawn shows as "close" and is reported below
  const stop = once(async () => {
    killRecorded(record.systemd);
    await settleWithin(exited, 10_000, () => killRecorded(record.unshare));
    for (const end = Date.now() + 5000; !removeCgroupTrees(record.cgroup) && Date.now() < end;) await delay(POLL_MS);
    destroySandboxSync(record, 1000);
    live.delete(record);
  });

  try {
    record.unshare = refOf(unshare);
    saveRecord();
    record.systemd = await findChild(unshare, 10_000);
    saveRecord();
    const sandbox = createHandle(record, stop);
    await waitUntilRunning(sandbox, unshare, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    return sandbox;
  } catch (error) {
    const bootLog = readTail(join(workdir, "boot.log"));
    await stop();
    throw new Error(`Cannot start a systemd sandbox: ${(error as Error).message}${bootLog === "" ? "" : `\nboot.log:\n${bootLog}`}`, { cause: error });
  }
}

function createHandle(record: SandboxRecord, stop: () => Promise<void>): Sandbox {
  const pid = (record.systemd as ProcessRef).pid;
  const base = ["nsenter", "-t", String(pid), "-m", "-p", "-n", "-u"];
  const exec = (argv: string[], options: Partial<RunCommandOptions> = {}): Promise<CommandResult> => {
    const { cwd, ...rest } = options;
    return runCommand([...base, ...(cwd === undefined ? [] : [`--wd=${cwd}`]), "--", ...argv], { timeoutMs: EXEC_TIMEOUT_MS, ...rest });
  };
  const hostPath = (insidePath: string): string => join(`/proc/${pid}/root`, insidePath);
  return {
    pid,
    systemctl: ["nsenter", "-t", String(pid), "-m", "-p", "--", "systemctl"],
    nsenterArgs: [...base, "--"],
    workdir: record.workdir,
    exec,
    hostPath,
    procStat(nsPid) {
      try {
        return parseProcStat(readFileSync(hostPath(`/proc/${nsPid}/stat`), "utf8"));
      } catch {
        return null;
      }
    },
    async writeUnit(name, text) {
      if (name.includes("/") || name.startsWith(".")) throw new TypeError(`Invalid unit name "${name}"`);
      await mkdir(hostPath("/run/systemd/system"), { recursive: true });
      await writeFile(hostPath(`/run/systemd/system/${name}`), text);
    },
    async daemonReload() {
      const result = await exec(["systemctl", "daemon-reload"]);
      if (!result.ok) throw new Error(`${result.summary}: ${result.cause ?? ""}`);
    },
    stop,
  };
}

async function waitUntilRunning(sandbox: Sandbox, unshare: ChildProcess, timeoutMs: number): Promise<void> {
  let last = "";
  for (const end = Date.now() + timeoutMs; Date.now() < end; await delay(POLL_MS)) {
    if (unshare.exitCode !== null || unshare.signalCode !== null) throw new Error("the sandbox exited while booting");
    const result = await sandbox.exec(["systemctl", "is-system-running"], { timeoutMs: 5000 });
    last = result.stdout.trim() || (result.cause ?? result.summary);
    if (last === "running" || last === "degraded") return;
  }
  throw new Error(`systemd was not running after ${timeoutMs}ms (last answer: "${last}")`);
}

/** The sandbox's systemd: the one child of `unshare --fork` (this kernel has no /proc/PID/task/TID/children). */
async function findChild(parent: ChildProcess, timeoutMs: number): Promise<ProcessRef> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await delay(POLL_MS)) {
    if (parent.pid === undefined || parent.exitCode !== null || parent.signalCode !== null) break;
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const stat = safeStat(Number(name));
      if (stat !== null && stat.ppid === parent.pid) return { pid: stat.pid, startTime: stat.startTime };
    }
  }
  throw new Error("unshare did not start the sandbox's PID 1");
}

function safeStat(pid: number): ReturnType<typeof readProcStat> {
  try {
    return readProcStat(pid);
  } catch {
    return null;
  }
}

function refOf(child: ChildProcess): ProcessRef {
  const stat = child.pid === undefined ? null : safeStat(child.pid);
  if (stat === null) throw new Error("unshare could not be started");
  return { pid: stat.pid, startTime: stat.startTime };
}

function selfRef(): ProcessRef {
  const stat = readProcStat(process.pid);
  if (stat === null) throw new Error("Cannot read /proc/self/stat");
  return { pid: stat.pid, startTime: stat.startTime };
}

/** Waits for `promise` up to `ms`; if it has not settled, calls `fallback` and waits once more as long. */
async function settleWithin(promise: Promise<void>, ms: number, fallback: () => void): Promise<void> {
  const timer = new AbortController();
  const timedOut = Symbol("timeout");
  try {
    if ((await Promise.race([promise, delay(ms, timedOut, { signal: timer.signal })])) !== timedOut) return;
    fallback();
    await Promise.race([promise, delay(ms, undefined, { signal: timer.signal })]);
  } finally {
    timer.abort(); // no timer outlives the wait
  }
}

function once(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= run());
}

function readTail(path: string, lines = 20): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

function findTool(name: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** Sandboxes of this process not yet stopped: the safety net kills them if the process exits first. */
const live = new Set<SandboxRecord>();
let safetyNetInstalled = false;

function installSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  const destroyAll = (): void => {
    for (const record of live) destroySandboxSync(record, 2000);
    live.clear();
  };
  process.on("exit", destroyAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      destroyAll();
      process.kill(process.pid, signal); // the default action again: our listener was a one-off
    });
  }
}
