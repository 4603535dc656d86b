import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessAlive, readProcStat } from "../process/proc-stat.js";
import type { TestContext } from "node:test";
import { ProcessRunner, type ProcessExit, type ProcessRunnerOptions } from "../runners/process.js";
import type { LabDecoy, LabProcess, LabProcesses, LabService, RunnerLab } from "../runners/runner.contract.js";
import { logBotArgv } from "./bots.js";
import { waitFor } from "./wait-for.js";
import { spawnDecoy } from "./decoy.js";
import { readLabProcesses } from "./lab-processes.js";

const WAIT_MS = 20_000;
/** Bounds of the lab's own cleanup: SIGTERM, then SIGKILL after this long. */
const SHUTDOWN = { stopTimeoutMs: 2000, killWaitMs: 5000 };

/** The contract's lab for supervisor mode, plus what the process runner's own tests need. */
export interface ProcessLab extends RunnerLab {
  /** A scratch directory, removed by `close()`. */
  dir: string;
  /** A runner the lab shuts down in `close()`; `name` and `output` have defaults. */
  runner(options: Partial<ProcessRunnerOptions> & Pick<ProcessRunnerOptions, "command">): ProcessRunner;
  /** The log bot's processes, from the pid file of a runner made by `botRunner`. */
  processesOf(runner: ProcessRunner, previous?: LabProcesses): Promise<LabProcesses>;
  /** A runner for the log bot (not started); the bot writes its pids where `processesOf` reads them. */
  botRunner(options: { ignoreTerm?: boolean; child?: boolean; crashAfter?: number; everyMs?: number; pollIntervalMs?: number }): ProcessRunner;
  /** Shuts down every runner and decoy it made (SIGTERM, then SIGKILL to each group) and removes `dir`. */
  close(): Promise<void>;
}

/**
 * The runner contract's lab for the process runner: each service is the log bot spawned by a
 * ProcessRunner in a fresh process group. Nothing is ever killed by name: `close()` shuts the
 * runners down and SIGKILLs the decoys' own groups.
 */
export function processLab(): ProcessLab {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-process-"));
  const runners: ProcessRunner[] = [];
  const pidFiles = new WeakMap<ProcessRunner, string>();
  const argvOf = new WeakMap<ProcessRunner, string[]>();
  const decoys: LabDecoy[] = [];
  let count = 0;

  const runner: ProcessLab["runner"] = (options) => {
    const name = options.name ?? `bot-${(count += 1)}`;
    const made = new ProcessRunner({ name, output: { file: join(dir, `${name}.out`), maxBytes: 1024 * 1024, keep: 1 }, ...options });
    runners.push(made);
    return made;
  };
  const botRunner: ProcessLab["botRunner"] = (options) => {
    const name = `bot-${(count += 1)}`;
    const pidFile = join(dir, `${name}.pid`);
    const command = logBotArgv(join(dir, `${name}.log`), { everyMs: options.everyMs ?? 200, ignoreTerm: options.ignoreTerm, child: options.child, crashAfter: options.crashAfter });
    const made = runner({ name, command, env: { LOG_BOT_PID_FILE: pidFile }, ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }) });
    pidFiles.set(made, pidFile);
    argvOf.set(made, command);
    return made;
  };
  const processesOf: ProcessLab["processesOf"] = (made, previous) => {
    const pidFile = pidFiles.get(made);
    if (pidFile === undefined) throw new Error(`"${made.target}" is not a bot of this lab`);
    return readPids(pidFile, previous);
  };

  return {
    dir,
    commandTimeoutMs: 0,
    isAlive: (process) => isProcessAlive(process.pid, process.startTime),
    runnerView: (process) => (isProcessAlive(process.pid, process.startTime) ? process : null),
    runner,
    botRunner,
    processesOf,
    async service(options) {
      const made = botRunner(options);
      const start = await made.start(WAIT_MS, new AbortController().signal);
      if (!start.ok) throw new Error(`${start.summary}: ${start.cause ?? ""}`);
      const service: LabService = { runner: made, processes: (previous) => processesOf(made, previous) };
      await service.processes();
      return service;
    },
    brokenService: async () => runner({ command: ["/nonexistent/lifeguard-bot"] }),
    missingService: () => ({ skip: "a process runner always knows its service: it spawns the command itself" }),
    async decoy(service) {
      const argv = service.runner instanceof ProcessRunner ? argvOf.get(service.runner) : undefined;
      if (argv === undefined) throw new Error("Not a service of this lab");
      const decoy = await startDecoy(argv, join(dir, `decoy-${(count += 1)}.pid`));
      decoys.push(decoy);
      return decoy;
    },
    freezeBackend: async () => ({ skip: "the process runner has no backend that could hang: it asks the kernel directly" }),
    async close() {
      await Promise.all(runners.map((made) => made.shutdown(SHUTDOWN)));
      await Promise.all(decoys.map((decoy) => decoy.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bot's processes from its pid file; with `previous`, waits until a new bot wrote it. */
async function readPids(pidFile: string, previous?: LabProcesses): Promise<LabProcesses> {
  let found: LabProcesses | null = null;
  const fresh = await waitFor(() => {
    found = readLabProcesses(pidFile, processOf);
    return found !== null && (previous === undefined || found.bot.pid !== previous.bot.pid || found.bot.startTime !== previous.bot.startTime);
  }, { timeoutMs: WAIT_MS });
  if (!fresh || found === null) throw new Error(`No ${previous === undefined ? "" : "new "}bot wrote "${pidFile}"`);
  return found;
}

function processOf(pid: number): LabProcess | null {
  const stat = readProcStat(pid);
  return stat === null || stat.state === "Z" ? null : { pid, startTime: stat.startTime };
}

/** The bot's exact command line, outside every runner, in a process group of its own. */
async function startDecoy(argv: string[], pidFile: string): Promise<LabDecoy> {
  const { stop } = spawnDecoy(argv, pidFile);
  try {
    const { bot } = await readPids(pidFile);
    return { process: bot, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A lab whose runners, decoys and files are all gone after the test, whatever happened. */
export function labFor(t: TestContext): ProcessLab {
  const lab = processLab();
  t.after(() => lab.close());
  return lab;
}

/** The next exit `runner` reports. */
export function nextExit(runner: ProcessRunner): Promise<ProcessExit> {
  return new Promise((resolve) => {
    const unsubscribe = runner.onExit((exit) => {
      unsubscribe();
      resolve(exit);
    });
  });
}
