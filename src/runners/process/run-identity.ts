import type { SupervisedRun } from "../../core/run-journal.js";
import { readProcStat } from "../../process/proc-stat.js";
import type { UserAccount } from "./resolve-user.js";
import type { ProcessRunnerOptions } from "./types.js";

/** This process, as a run's record names its owner. */
export function owner(): Pick<SupervisedRun, "ownerPid" | "ownerStartTime"> {
  return { ownerPid: process.pid, ownerStartTime: readProcStat(process.pid)?.startTime ?? null };
}

/** What a run's command inherits: the base environment, the account's identity, the variables known at start, then `env`, which wins. */
export function runEnvironment(options: ProcessRunnerOptions, account: UserAccount | null): NodeJS.ProcessEnv {
  const identity = account === null ? {} : { HOME: account.home, USER: account.name, LOGNAME: account.name, SHELL: account.shell };
  return { ...(options.baseEnv ?? process.env), ...identity, ...options.startEnv?.(), ...options.env };
}
