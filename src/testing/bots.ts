import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/** The Python the bots run with (DESIGN.md): the system's, not a user's pyenv shim. */
export const PYTHON = "/usr/bin/python3";
/** Absolute path of the log bot; the sandbox sees the repository at the same path. */
export const LOG_BOT = fileURLToPath(new URL("./bots/log-bot.py", import.meta.url));
/** Absolute path of the heartbeat bot: pings $LIFEGUARD_PING_URL until SIGUSR1 (quiet) or SIGUSR2 (reports failure). */
export const HEARTBEAT_BOT = fileURLToPath(new URL("./bots/heartbeat-bot.py", import.meta.url));

/** Absolute path of the memory bot: holds, leaks or bursts the memory a test asks for. */
export const MEMORY_BOT = fileURLToPath(new URL("./bots/memory-bot.py", import.meta.url));

/** argv that runs the memory bot: `hold` MiB at start, `leak` MiB more every second, `burst` MiB every other second, freed the next. */
export function memoryBotArgv(options: { hold?: number; leak?: number; burst?: number; pidFile?: string }): string[] {
  const argv = [PYTHON, MEMORY_BOT];
  for (const name of ["hold", "leak", "burst"] as const) if (options[name] !== undefined) argv.push(`--${name}`, String(options[name]));
  if (options.pidFile !== undefined) argv.push("--pid-file", options.pidFile);
  return argv;
}

/** Absolute path of the CPU bot: a busy loop, a deadlock behind a thread that logs "alive", or healthy bursts of work. */
export const CPU_BOT = fileURLToPath(new URL("./bots/cpu-bot.py", import.meta.url));

/** argv that runs the CPU bot in one of its modes. */
export function cpuBotArgv(mode: { busy: true } | { deadlockAfterS: number } | { bursty: true }): string[] {
  if ("busy" in mode) return [PYTHON, CPU_BOT, "--busy"];
  return "bursty" in mode ? [PYTHON, CPU_BOT, "--bursty"] : [PYTHON, CPU_BOT, "--deadlock-after", String(mode.deadlockAfterS)];
}

export interface LogBotOptions {
  /** Milliseconds between lines (default 1000). */
  everyMs?: number;
  reopen?: boolean;
  ignoreTerm?: boolean;
  crashAfter?: number;
  hangAfter?: number;
  /** Filler lines (matching none of VIX, Position, Update) between two work lines, one per tick. */
  filler?: number;
  /** After this many work lines, only filler lines: busy, but doing no work. */
  idleAfter?: number;
  child?: boolean;
  /** Helpers started as a daemon detaches (double fork): orphans from their start, each waiting for a signal. */
  orphans?: number;
  /** Where the bot writes its pids; `LOG_BOT_PID_FILE` in its environment does the same without changing argv. */
  pidFile?: string;
  /** A copy of the bot script to run instead of LOG_BOT (e.g. one an unprivileged user can read). */
  script?: string;
}

/** argv that runs the log bot: for a unit's ExecStart=, a supervised command, or a decoy. */
export function logBotArgv(log: string, options: LogBotOptions = {}): string[] {
  const argv = [PYTHON, options.script ?? LOG_BOT, log];
  if (options.everyMs !== undefined) argv.push("--every", String(options.everyMs));
  if (options.reopen) argv.push("--reopen");
  if (options.ignoreTerm) argv.push("--ignore-term");
  if (options.crashAfter !== undefined) argv.push("--crash-after", String(options.crashAfter));
  if (options.hangAfter !== undefined) argv.push("--hang-after", String(options.hangAfter));
  if (options.filler !== undefined) argv.push("--filler", String(options.filler));
  if (options.idleAfter !== undefined) argv.push("--idle-after", String(options.idleAfter));
  if (options.child) argv.push("--child");
  if (options.orphans !== undefined) argv.push("--orphans", String(options.orphans));
  if (options.pidFile !== undefined) argv.push("--pid-file", options.pidFile);
  return argv;
}

/** argv that runs the heartbeat bot, pinging every `everyMs` (default 500) and writing its pid to `pidFile`. */
export function heartbeatBotArgv(options: { everyMs?: number; pidFile?: string } = {}): string[] {
  const argv = [PYTHON, HEARTBEAT_BOT];
  if (options.everyMs !== undefined) argv.push("--every", String(options.everyMs));
  if (options.pidFile !== undefined) argv.push("--pid-file", options.pidFile);
  return argv;
}

/** What a bot wrote to its --pid-file: pids as its own PID namespace numbers them. */
export interface BotPids {
  pid: number;
  child: number | null;
  /** The helpers of `--orphans` (absent from an older bot's file). */
  orphans?: number[];
}

/** Waits (up to `timeoutMs`) for a bot's pid file and reads it. */
export async function readBotPids(pidFile: string, timeoutMs = 10_000): Promise<BotPids> {
  for (const end = Date.now() + timeoutMs; ; await delay(20)) {
    try {
      return JSON.parse(readFileSync(pidFile, "utf8")) as BotPids;
    } catch (error) {
      if (Date.now() > end) throw new Error(`No pid file "${pidFile}" after ${timeoutMs}ms`, { cause: error });
    }
  }
}

/** Absolute path of the states bot: a thread stuck in `D`, zombies it never reaps, leaked files or threads, or healthy churn of all three. */
export const STATES_BOT = fileURLToPath(new URL("./bots/states-bot.py", import.meta.url));

/** argv that runs the states bot in one of its modes. */
export function statesBotArgv(mode: "stuck-in-d" | "leak-fds" | "leak-threads" | "churn" | { zombies: number }): string[] {
  return typeof mode === "string" ? [PYTHON, STATES_BOT, `--${mode}`] : [PYTHON, STATES_BOT, "--zombies", String(mode.zombies)];
}
