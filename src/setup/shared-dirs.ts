import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { InstallRecords } from "../store/install-records.js";
import { DEFAULT_LOG_DIR } from "./layout.js";
import { findAccount } from "./host.js";
import type { InstallPlan } from "./plan.js";

/** The name of a directory that is Lifeguard's by its name (`/var/log/lifeguard`): install may take it over. */
const OWN_NAME = "lifeguard";
const OWN_MODE = 0o750;

/**
 * Why the log directory the plan would hand to Lifeguard's user (owner and mode 750) cannot be
 * taken, before anything changes: it exists, install did not make it, it is not named for
 * Lifeguard and is not so already. `log.file: /var/log/lifeguard.log` would otherwise make
 * /var/log Lifeguard's, and a log beside the bot's would take the bot's own directory from it.
 */
export async function sharedDirectoryProblems(plan: InstallPlan, records: InstallRecords | null, source: string): Promise<string[]> {
  const problems: string[] = [];
  for (const step of plan.steps) {
    if (step.kind !== "dir" || step.purpose !== "log" || !existsSync(step.path) || basename(step.path) === OWN_NAME) continue;
    if (records !== null && records.get("dir", step.path) !== null) continue;
    const account = step.owner === null ? { uid: 0 } : await findAccount(step.owner);
    const stat = statSync(step.path);
    if (account !== null && stat.uid === account.uid && (stat.mode & 0o777) === OWN_MODE) continue;
    problems.push(`${step.path}, the directory of log.file, exists and install did not make it: install would make it ${step.owner ?? "root"}'s with mode 750 (ReadWritePaths=), ` +
      `taking it from whoever uses it now. Give log.file a directory of Lifeguard's own, which install makes, in ${source}: log: { file: ${DEFAULT_LOG_DIR}/lifeguard.log }`);
  }
  return problems;
}
