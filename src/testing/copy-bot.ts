import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readProcStat } from "../process/proc-stat.js";
import { PYTHON } from "./bots.js";

/** A bot that registers each of its processes (bot, helper) in a directory: see bots/copy-bot.py. */
export const COPY_BOT = fileURLToPath(new URL("./bots/copy-bot.py", import.meta.url));

export interface CopyBotOptions {
  ignoreTerm?: boolean;
  /** A helper that leaves the process group with setsid() and keeps the bot's pipes. */
  helper?: boolean;
  /** The helper also orphans itself and runs with an empty environment. */
  helperEnvFree?: boolean;
  freezeFile?: string;
  crashFile?: string;
}

/** argv of the copy bot writing work lines to `log` and registering its processes in `copies`. */
export function copyBotArgv(log: string, copies: string, options: CopyBotOptions = {}): string[] {
  mkdirSync(copies, { recursive: true });
  const argv = [PYTHON, COPY_BOT, log, copies];
  if (options.ignoreTerm) argv.push("--ignore-term");
  if (options.helper) argv.push("--helper");
  if (options.helperEnvFree) argv.push("--helper-env-free");
  if (options.freezeFile !== undefined) argv.push("--freeze-file", options.freezeFile);
  if (options.crashFile !== undefined) argv.push("--crash-file", options.crashFile);
  return argv;
}

/** One registered process of the copy bot. */
export interface Copy {
  pid: number;
  role: "bot" | "helper";
  startTime: number;
}

/** Every process the copy bot registered in `copies`, living or not. */
export function registeredCopies(copies: string): Copy[] {
  if (!existsSync(copies)) return [];
  return readdirSync(copies).flatMap((name) => {
    const [role, startTime] = readFileSync(`${copies}/${name}`, "utf8").split(" ");
    if ((role !== "bot" && role !== "helper") || startTime === undefined) return [];
    return [{ pid: Number(name), role, startTime: Number(startTime) }];
  });
}

/** The registered processes that still run (same pid and start time, not a zombie). */
export function livingCopies(copies: string, role?: Copy["role"]): Copy[] {
  return registeredCopies(copies).filter((copy) => (role === undefined || copy.role === role) && isAlive(copy));
}

/** SIGKILLs every registered process that still runs, by pid: a test's cleanup. */
export function killCopies(copies: string): void {
  for (const copy of livingCopies(copies)) {
    try {
      process.kill(copy.pid, "SIGKILL");
    } catch {
      // ended in between
    }
  }
}

function isAlive(copy: Copy): boolean {
  const stat = readProcStat(copy.pid);
  return stat !== null && stat.startTime === copy.startTime && stat.state !== "Z";
}
