import { existsSync, readdirSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { InstallRecords } from "../store/install-records.js";
import { DEFAULT_LOG_DIR } from "./layout.js";
import { findAccount } from "./host.js";
import type { InstallPlan, Step } from "./plan.js";

/** The name of a directory that is Lifeguard's by its name (`/var/log/lifeguard`, `/var/lib/lifeguard`): install may take it over. */
const OWN_NAME = "lifeguard";
const OWN_MODE = 0o750;

/**
 * Why a directory the plan would hand to Lifeguard's user (owner, mode 750, writable by its
 * units) cannot be taken, before anything changes: it exists, install did not make it, it is not
 * named for Lifeguard, is not so already, and holds files that are not Lifeguard's. Else
 * `log.file: /var/log/lifeguard.log` would make /var/log Lifeguard's, and a log or a state beside
 * the bot's files would take the bot's own directory from it.
 */
export async function sharedDirectoryProblems(plan: InstallPlan, records: InstallRecords | null, source: string): Promise<string[]> {
  const problems: string[] = [];
  for (const step of plan.steps) {
    if (step.kind !== "dir" || !existsSync(step.path) || basename(step.path) === OWN_NAME) continue;
    if (records !== null && records.get("dir", step.path) !== null) continue;
    const account = step.owner === null ? { uid: 0 } : await findAccount(step.owner);
    const stat = statSync(step.path);
    if (account !== null && stat.uid === account.uid && (stat.mode & 0o777) === OWN_MODE) continue;
    const others = readdirSync(step.path).filter((name) => !step.keeps.some((kept) => name.startsWith(kept))).sort();
    if (others.length === 0) continue;
    problems.push(describeProblem(step, others, source));
  }
  return problems;
}

function describeProblem(step: Extract<Step, { kind: "dir" }>, others: readonly string[], source: string): string {
  const [what, key, own] = step.purpose === "log" ? ["log.file's directory", "log", `{ file: ${DEFAULT_LOG_DIR}/lifeguard.log }`] : ["the state directory", "state", "/var/lib/lifeguard"];
  const shown = others.slice(0, 3).map((name) => JSON.stringify(name)).join(", ") + (others.length > 3 ? "..." : "");
  return `${step.path}, ${what}, holds files that are not Lifeguard's (${shown}) and install did not make it: install would make it ${step.owner ?? "root"}'s with mode 750 ` +
    `(ReadWritePaths=), taking it from whoever uses it now. Give Lifeguard a directory of its own, which install makes, in ${source}: ${key}: ${own}`;
}
