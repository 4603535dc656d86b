import { join } from "node:path";
import { SystemdRunner } from "../runners/systemd.js";
import type { LabDecoy, LabProcess, LabProcesses, LabService, RunnerLab } from "../runners/runner.contract.js";
import { logBotArgv } from "./bots.js";
import type { Sandbox } from "./systemd-sandbox.js";
import type { SystemdBus } from "../process/systemd-bus.js";
import { waitFor } from "./wait-for.js";
import { spawnDecoy } from "./decoy.js";
import { readLabProcesses } from "./lab-processes.js";
import { hostPidOf } from "./host-pid.js";

/** The bound on systemctl calls of the lab's runners; the hang test waits this long. */
export const LAB_COMMAND_TIMEOUT_MS = 3000;
const WAIT_MS = 20_000;

/** A unit's text: the log bot under systemd, with a stop timeout far above any the tests use. */
export function botUnit(argv: string[], pidFile: string, extra = ""): string {
  return `[Unit]
Description=Lifeguard test bot
[Service]
ExecStart=${argv.join(" ")}
Environment=LOG_BOT_PID_FILE=${pidFile}
TimeoutStopSec=300
${extra}`;
}

/**
 * The runner contract's lab for systemd: each service is a fresh unit in `sandbox` running the
 * log bot; processes are numbered as the sandbox's PID namespace numbers them. With `bus`, the
 * runners read unit states through it.
 */
export function systemdLab(sandbox: Sandbox, options: { bus?: SystemdBus } = {}): RunnerLab {
  let count = 0;
  const argvOf = new WeakMap<LabService, string[]>();
  const runnerFor = (unit: string): SystemdRunner => new SystemdRunner({ unit, commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS, systemctl: sandbox.systemctl, ...options });
  const processOf = (pid: number): LabProcess | null => {
    const stat = sandbox.procStat(pid);
    return stat === null || stat.state === "Z" ? null : { pid, startTime: stat.startTime };
  };
  const isAlive = (process: LabProcess): boolean => processOf(process.pid)?.startTime === process.startTime;
  const readPids = (pidFile: string) => async (previous?: LabProcesses): Promise<LabProcesses> => {
    let found: LabProcesses | null = null;
    const fresh = await waitFor(() => {
      found = readLabProcesses(pidFile, processOf);
      return found !== null && (previous === undefined || found.bot.pid !== previous.bot.pid || found.bot.startTime !== previous.bot.startTime);
    }, { timeoutMs: WAIT_MS });
    if (!fresh || found === null) throw new Error(`No ${previous === undefined ? "" : "new "}bot wrote "${pidFile}"`);
    return found;
  };

  return {
    commandTimeoutMs: LAB_COMMAND_TIMEOUT_MS,
    isAlive,
    async service(options) {
      const name = `bot-${(count += 1)}`;
      const argv = logBotArgv(join(sandbox.workdir, `${name}.log`), { everyMs: 200, ignoreTerm: options.ignoreTerm, child: options.child });
      const pidFile = join(sandbox.workdir, `${name}.pid`);
      await sandbox.writeUnit(`${name}.service`, botUnit(argv, pidFile));
      await sandbox.daemonReload();
      const started = await sandbox.exec(["systemctl", "start", `${name}.service`]);
      if (!started.ok) throw new Error(`${started.summary}: ${started.stderr}`);
      const service: LabService = { runner: runnerFor(`${name}.service`), processes: readPids(pidFile) };
      argvOf.set(service, argv);
      await service.processes();
      return service;
    },
    async brokenService() {
      const name = `broken-${(count += 1)}.service`;
      // Type=exec: the start job itself fails when the program cannot be executed.
      await sandbox.writeUnit(name, "[Service]\nType=exec\nExecStart=/nonexistent/lifeguard-bot\n");
      await sandbox.daemonReload();
      return runnerFor(name);
    },
    missingService: () => runnerFor(`missing-${(count += 1)}.service`),
    async decoy(service) {
      const argv = argvOf.get(service);
      if (argv === undefined) throw new Error("Not a service of this lab");
      return startDecoy(sandbox, argv, join(sandbox.workdir, `decoy-${(count += 1)}.pid`), readPids, processOf);
    },
    runnerView: (labProcess) => hostPidOf(labProcess, sandbox.pid),
    async freezeBackend() {
      process.kill(sandbox.pid, "SIGSTOP");
      return async () => void process.kill(sandbox.pid, "SIGCONT");
    },
  };
}

/** Runs `argv` inside the sandbox but outside every unit (nsenter from the test), as a pattern kill would find it. */
async function startDecoy(
  sandbox: Sandbox,
  argv: string[],
  pidFile: string,
  readPids: (pidFile: string) => (previous?: LabProcesses) => Promise<LabProcesses>,
  processOf: (pid: number) => LabProcess | null,
): Promise<LabDecoy> {
  const { stop } = spawnDecoy([...sandbox.nsenterArgs, ...argv], pidFile);
  try {
    const { bot } = await readPids(pidFile)();
    if (processOf(bot.pid) === null) throw new Error("The decoy died at once");
    return { process: bot, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

