import { chmodSync, chownSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { LOG_BOT, logBotArgv, readBotPids, type LogBotOptions } from "../../src/testing/bots.js";
import { botUnit } from "../../src/testing/systemd-lab.js";
import type { Sandbox } from "../../src/testing/systemd-sandbox.js";
import type { CommandResult } from "../../src/process/run-command.js";
import { spawnDecoy } from "../../src/testing/decoy.js";

/** The built CLI, as cron runs it. */
export const BIN = resolve(import.meta.dirname, "../../bin/lifeguard.js");
export const REPO = resolve(import.meta.dirname, "../..");
const NOBODY = 65534;

export interface LabBot {
  unit: string;
  dir: string;
  log: string;
  pidFile: string;
  argv: string[];
}

/**
 * Installs and starts the log bot as a systemd unit inside `sandbox`, in a directory of its own
 * (owned by `nobody` when `user` is set, so the bot can write its log there).
 */
export async function installBot(sandbox: Sandbox, name: string, options: LogBotOptions & { user?: "nobody"; unitExtra?: string } = {}): Promise<LabBot> {
  const dir = join(sandbox.workdir, name);
  mkdirSync(dir, { recursive: true });
  if (options.user === "nobody") chownSync(dir, NOBODY, NOBODY);
  const log = join(dir, "bot.log");
  const pidFile = join(dir, "bot.pid");
  const { user, unitExtra, ...botOptions } = options;
  // A copy in the sandbox's workdir: readable by `nobody` wherever the checkout lives.
  const script = join(sandbox.workdir, "log-bot.py");
  copyFileSync(LOG_BOT, script);
  chmodSync(script, 0o755);
  const argv = logBotArgv(log, { everyMs: 200, script, ...botOptions });
  const extra = [user === undefined ? "" : `User=${user}`, "Restart=no", unitExtra ?? ""].join("\n");
  await sandbox.writeUnit(`${name}.service`, botUnit(argv, pidFile, extra));
  await sandbox.daemonReload();
  const started = await sandbox.exec(["systemctl", "start", `${name}.service`]);
  if (!started.ok) throw new Error(`Cannot start ${name}.service: ${started.stderr}`);
  await readBotPids(pidFile);
  return { unit: `${name}.service`, dir, log, pidFile, argv };
}

/** Writes a lifeguard.yaml for one service (and top-level `extra`) into the bot's directory; returns its path. */
export function writeConfig(bot: LabBot, service: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const path = join(bot.dir, "lifeguard.yaml");
  const config = { state: join(bot.dir, "state"), ...extra, services: { bot: { systemd: bot.unit, ...service } } };
  writeFileSync(path, stringify(config));
  return path;
}

/** Runs the Lifeguard CLI inside the sandbox, as cron would run it on the box. */
export function lifeguard(sandbox: Sandbox, args: string[]): Promise<CommandResult> {
  return sandbox.exec([process.execPath, BIN, ...args], { timeoutMs: 120_000, cwd: REPO });
}

/** Sends a signal to a process of the sandbox, by the pid the sandbox knows it by. */
export async function signalInside(sandbox: Sandbox, pid: number, signal: string): Promise<void> {
  const result = await sandbox.exec(["kill", `-${signal}`, String(pid)]);
  if (!result.ok) throw new Error(`kill -${signal} ${pid}: ${result.stderr}`);
}

/**
 * Starts `argv` inside the sandbox but outside every unit: the process a pattern kill
 * (`pkill -f "python.*main.py"`) would also hit. Resolves once it runs; `stop()` ends it by PID.
 */
export async function startDecoy(sandbox: Sandbox, argv: string[], pidFile: string): Promise<{ pid: number; stop(): Promise<void> }> {
  const decoy = spawnDecoy([...sandbox.nsenterArgs, ...argv], pidFile);
  try {
    const { pid } = await readBotPids(pidFile);
    return { pid, stop: decoy.stop };
  } catch (error) {
    await decoy.stop();
    throw error;
  }
}
