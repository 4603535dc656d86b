import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { LifeguardConfig } from "../config/types.js";
import { LifeguardError } from "../core/errors.js";
import { readBootId, readProcStat } from "../process/proc-stat.js";
import { DB_FILE_NAME } from "../store/index.js";
import { fsReason } from "./fs-reason.js";
import { isRecordRunning, readQuickRecord, writeQuickRecord, type QuickRecord } from "./quick-record.js";

/** What a quick-mode start records besides who runs it. */
export type QuickStart = Pick<QuickRecord, "command" | "flags" | "cwd" | "env" | "isRoot" | "token">;

/**
 * Makes the quick-mode Lifeguard of `config` this process's, before anything starts: refuses
 * when another live Lifeguard runs a command of the same name in the same directory (two would
 * fight over one store and one output), then records how this one was started, for `status`,
 * `history` and `reset`. Returns what the start should say once: the store an older quick mode
 * kept in the state root itself, which is left as it is.
 */
export function claimQuickInstance(config: LifeguardConfig, start: QuickStart, now: number): string[] {
  const dir = config.state;
  const name = config.services[0]?.name ?? "";
  const previous = readQuickRecord(dir);
  if ("record" in previous && previous.record.pid !== process.pid && isRecordRunning(previous.record)) {
    throw new LifeguardError(
      `Cannot start quick mode for "${name}" as another Lifeguard (PID ${previous.record.pid}) supervises a command of that name with the store "${dir}"`,
      { hint: "Stop that Lifeguard first, or give this command a name of its own with --name NAME." },
    );
  }
  const notices = olderStoreNotice(dir, name);
  try {
    writeQuickRecord(dir, { ...start, pid: process.pid, pidStartTime: readProcStat(process.pid)?.startTime ?? null, bootId: readBootId(), startedAt: now });
  } catch (error) {
    throw new LifeguardError(`Cannot start quick mode for "${name}" as its directory "${dir}" cannot be written: ${fsReason(error)}`, {
      hint: "Pass --state DIR where the user running Lifeguard may write (without --state, a user other than root gets ~/.local/state/lifeguard).",
      cause: error,
    });
  }
  return notices;
}

/**
 * Before each command had a directory of its own, quick mode kept its store in the state root
 * itself, as a configuration file's `state:` does. That store may be a configuration file's, so
 * it is neither moved nor read: the first start of the new layout says where the history went.
 */
function olderStoreNotice(dir: string, name: string): string[] {
  if (existsSync(join(dir, DB_FILE_NAME))) return [];
  const older = join(dirname(dir), DB_FILE_NAME);
  if (!existsSync(older)) return [];
  return [`Quick mode keeps the store of "${name}" in "${dir}" from now on: the store "${older}" in the state directory itself (an older quick mode's, or a configuration file's) is left as it is, and its history and state are not carried over`];
}
