import { readFileSync } from "node:fs";
import type { LabProcess, LabProcesses } from "../runners/runner.contract.js";
import type { BotPids } from "./bots.js";

/**
 * The bot and its child as a lab sees them, from the bot's pid file; null while the file is
 * missing or half-written, or the bot is not (or no longer) running.
 */
export function readLabProcesses(pidFile: string, processOf: (pid: number) => LabProcess | null): LabProcesses | null {
  let pids: BotPids;
  try {
    pids = JSON.parse(readFileSync(pidFile, "utf8")) as BotPids;
  } catch {
    return null;
  }
  const bot = processOf(pids.pid);
  return bot === null ? null : { bot, child: pids.child === null ? null : processOf(pids.child) };
}
