import { existsSync, rmSync } from "node:fs";
import { basename, dirname } from "node:path";
import { EXIT } from "../core/errors.js";
import { runCommand } from "../process/run-command.js";
import type { InstallRecord, InstallRecords } from "../store/install-records.js";
import { commandFailed, mustRun, removeUser, readOptional, sha256, START_TIMEOUT_MS } from "./host.js";
import { UNIT_DIR } from "./layout.js";
import { leaveGroup } from "./join-group.js";
import { removeAcl } from "./steps.js";

export interface UninstallOptions {
  force: boolean;
  /** Also the state (the history), the log directory and the user install created. */
  purge: boolean;
  dryRun: boolean;
  say(line: string): void;
}

/** The order things are undone in: units stopped before their files go, the user last. */
const ORDER: ReadonlyArray<InstallRecord["kind"]> = ["enabled", "file", "acl", "group", "dir", "user"];

/**
 * Undoes exactly what `lifeguard install` recorded: stops and disables the units it enabled,
 * removes the files it wrote (none whose content changed since, unless `force`: then nothing is
 * done), the ACL entries it added; with `purge`, the directories (the history with the state) and
 * the user it created too. What it removes it forgets; kept things stay recorded.
 */
export async function uninstall(records: InstallRecords, options: UninstallOptions): Promise<number> {
  const all = records.list().sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || b.target.length - a.target.length);
  if (all.length === 0) {
    options.say("Nothing to uninstall: no record of a lifeguard install in this store.");
    return EXIT.healthy;
  }
  const changed = all.filter((record) => record.kind === "file" && existsSync(record.target) && sha256(readOptional(record.target) ?? "") !== record.sha256);
  if (changed.length > 0 && !options.force) {
    for (const record of changed) options.say(`${record.target} was changed since \`${record.command}\` wrote it: not removed without --force`);
    options.say("Nothing was changed.");
    return EXIT.cantCreate;
  }
  const owner = all.find((record) => record.kind === "user")?.target ?? aclUser(all);
  const kept = all.filter((record) => !options.purge && (record.kind === "dir" || record.kind === "user"));
  for (const record of kept) options.say(`${record.target}: kept (${record.kind === "dir" ? "it holds the history" : "it owns the history"}; --purge removes it)`);
  if (options.dryRun) {
    for (const record of all.filter((entry) => !kept.includes(entry))) options.say(`would ${describe(record)}`);
    return EXIT.healthy;
  }
  let reloaded = false;
  for (const record of all.filter((entry) => !kept.includes(entry))) {
    if (record.kind !== "enabled" && record.kind !== "file" && !reloaded) {
      await mustRun(["systemctl", "daemon-reload"]);
      reloaded = true;
    }
    await undo(record, owner);
    if (!(options.purge && record.kind === "dir")) records.remove(record.kind, record.target);
    options.say(`${describe(record, true)}`);
  }
  if (!reloaded) await mustRun(["systemctl", "daemon-reload"]);
  return EXIT.healthy;
}

async function undo(record: InstallRecord, owner: string | null): Promise<void> {
  switch (record.kind) {
    case "enabled": return void (await mustRun(["systemctl", "disable", "--now", record.target], START_TIMEOUT_MS));
    case "file": return void (await stopUnitOf(record.target), rmSync(record.target, { force: true }));
    case "acl": return owner === null ? undefined : removeAcl(record.target, owner);
    case "group": return leaveGroup(record.detail, record.target);
    case "dir": return rmSync(record.target, { recursive: true, force: true });
    case "user": return removeUser(record.target);
  }
}

/**
 * A unit file about to go is stopped first: the timer's check service is not enabled (the timer
 * is), so a run the timer started may still be going, writing to the state about to be removed.
 * A unit systemd does not know (exit 5) has nothing to stop.
 */
async function stopUnitOf(path: string): Promise<void> {
  if (dirname(path) !== UNIT_DIR || !/\.(service|timer)$/.test(path)) return;
  const argv = ["systemctl", "stop", basename(path)];
  const result = await runCommand(argv, { timeoutMs: START_TIMEOUT_MS });
  if (!result.ok && result.exitCode !== 5) throw commandFailed(argv, result);
}

function describe(record: InstallRecord, done = false): string {
  const [verb, past] = {
    enabled: ["stop and disable", "stopped and disabled"],
    file: ["remove", "removed"],
    acl: [`remove the ACL entry ${record.detail} from`, `removed the ACL entry ${record.detail} from`],
    group: [`remove ${record.detail} from the group`, `removed ${record.detail} from the group`],
    dir: ["remove", "removed"],
    user: ["remove the user", "removed the user"],
  }[record.kind];
  return `${done ? past : verb} ${record.target}`;
}

/** The user an ACL entry was given to (`u:lifeguard:r`). */
function aclUser(records: readonly InstallRecord[]): string | null {
  const entry = records.find((record) => record.kind === "acl")?.detail ?? "";
  return /^u:([^:]+):/.exec(entry)?.[1] ?? null;
}
