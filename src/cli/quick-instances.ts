import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { QUICK_DIR_PREFIX, quickInstanceDir } from "../config/quick-defaults.js";
import { EXIT, LifeguardError } from "../core/errors.js";
import { describeCommand } from "../config/command-line.js";
import { fsReason } from "./fs-reason.js";
import { isRecordRunning, readQuickRecord, recordPath, type QuickRecord } from "./quick-record.js";

/** A quick-mode Lifeguard found under a state root: its directory, and its record or why that is unusable. */
export interface QuickInstance {
  name: string;
  dir: string;
  record: QuickRecord | null;
  /** Why the record cannot be used (`"/x/quick.json" does not exist`); null when it can. */
  problem: string | null;
}

/**
 * Every quick-mode Lifeguard under `root` (a `quick-<name>` directory), by name. None when the
 * root does not exist; a root that cannot be listed is an error (exit 78) that says so.
 */
export function listQuickInstances(root: string): QuickInstance[] {
  let names: string[];
  try {
    names = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name.startsWith(QUICK_DIR_PREFIX)).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw unreadableRoot(root, error);
  }
  return names.sort().map((entry) => instanceIn(join(root, entry), entry.slice(QUICK_DIR_PREFIX.length)));
}

/** The quick-mode Lifeguard `name` under `root`, or null when there is none. */
export function findQuickInstance(root: string, name: string): QuickInstance | null {
  const dir = quickInstanceDir(root, name);
  try {
    if (!statSync(dir).isDirectory()) return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return null;
    throw unreadableRoot(root, error);
  }
  return instanceIn(dir, name);
}

/** `"bot" (running, PID 42: python3 bot.py)`, `"old" (stopped: node old.js)`, `"odd" (its record "..." does not exist)`. */
export function describeInstance(instance: QuickInstance): string {
  const { record } = instance;
  if (record === null) return `"${instance.name}" (${instance.problem ?? "no record"})`;
  const state = isRecordRunning(record) ? `running, PID ${record.pid}` : "stopped";
  return `"${instance.name}" (${state}: ${describeCommand(record.command)})`;
}

function instanceIn(dir: string, name: string): QuickInstance {
  const read = readQuickRecord(dir);
  if ("record" in read) return { name, dir, record: read.record, problem: null };
  return { name, dir, record: null, problem: `its record "${recordPath(dir)}" ${read.problem}` };
}

function unreadableRoot(root: string, error: unknown): LifeguardError {
  return new LifeguardError(`Cannot look for quick-mode Lifeguards in "${root}" as ${fsReason(error)}`, {
    exitCode: EXIT.config,
    hint: "Run this as the user that runs that Lifeguard (root's store is under /var/lib/lifeguard), or pass --state DIR.",
  });
}
