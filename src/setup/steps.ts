import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { asUser } from "../process/doctor/run-as-user.js";
import { runCommand } from "../process/run-command.js";
import type { InstallRecord } from "../store/install-records.js";
import { chownTo, COMMAND_TIMEOUT_MS, findAccount, mustRun, readOptional, removeUser, sha256, START_TIMEOUT_MS, writeWhole } from "./host.js";
import { joinGroup, leaveGroup } from "./join-group.js";
import { DAEMON_UNIT, UNIT_DIR } from "./layout.js";
import type { Step } from "./plan.js";

/** A change made, and how to take it back when a later step fails. */
export interface Done {
  record: Pick<InstallRecord, "kind" | "target">;
  said: string;
  undo(): Promise<void>;
}

export interface StepContext {
  force: boolean;
  say(line: string): void;
  /** What becomes of a file step's path (decided before anything was changed). */
  fileAction(path: string): "write" | "unchanged" | "update" | "replace" | "conflict";
  /** A file step's path will hold more than new comments (decided before anything was changed). */
  settingsChanged(path: string): boolean;
  record(record: Omit<InstallRecord, "installedAt" | "command">): void;
  /** A step gave Lifeguard's user a group: a daemon already running gets it only when restarted. */
  groupsChanged: boolean;
}

/** Carries out one step, prints it, records what it changed; returns what it changed (none: it was already so). */
export async function runStep(step: Exclude<Step, { kind: "verify" }>, context: StepContext): Promise<Done[]> {
  switch (step.kind) {
    case "user": return createUser(step.name, context);
    case "group": return addToGroup(step, context);
    case "dir": return makeDir(step, context);
    case "read-access": return grantRead(step, context);
    case "file": return writeFile(step, context);
    case "daemon-reload":
      await mustRun(["systemctl", "daemon-reload"]);
      context.say("systemctl daemon-reload");
      return [];
    case "enable": return enableUnit(step.unit, context);
  }
}

async function createUser(name: string, context: StepContext): Promise<Done[]> {
  if ((await findAccount(name)) !== null) {
    context.say(`user ${name}: exists`);
    return [];
  }
  await mustRun(["useradd", "--system", "--user-group", "--home-dir", "/nonexistent", "--no-create-home", "--shell", "/usr/sbin/nologin", "--comment", "Lifeguard watchdog", name]);
  context.record({ kind: "user", target: name, sha256: null, detail: "" });
  context.say(`user ${name}: created (a system user, no login)`);
  return [{ record: { kind: "user", target: name }, said: `created user ${name}`, undo: () => removeUser(name) }];
}

/** The user joins the group that reads the journal; the membership is recorded (uninstall takes back exactly it). */
async function addToGroup({ user, group, units }: Extract<Step, { kind: "group" }>, context: StepContext): Promise<Done[]> {
  const why = `to read the journal of ${units.join(", ")}`;
  if (!(await joinGroup(user, group))) {
    context.say(`user ${user}: in group ${group} already (${why})`);
    return [];
  }
  context.groupsChanged = true;
  context.record({ kind: "group", target: group, sha256: null, detail: user });
  context.say(`user ${user}: added to group ${group} (${why})`);
  return [{ record: { kind: "group", target: group }, said: `added ${user} to group ${group}`, undo: () => leaveGroup(user, group) }];
}

async function makeDir(step: Extract<Step, { kind: "dir" }>, context: StepContext): Promise<Done[]> {
  const account = step.owner === null ? null : await findAccount(step.owner);
  if (step.owner !== null && account === null) throw new Error(`user ${step.owner} does not exist`);
  const existed = existsSync(step.path);
  if (!existed) mkdirSync(step.path, { recursive: true, mode: step.mode });
  chmodSync(step.path, step.mode);
  chownTo(step.path, account);
  context.say(`${step.path}: ${existed ? "exists" : "created"}, owned by ${step.owner ?? "root"}, mode ${step.mode.toString(8)}`);
  if (existed) return [];
  context.record({ kind: "dir", target: step.path, sha256: null, detail: "" });
  return [{ record: { kind: "dir", target: step.path }, said: `created ${step.path}`, undo: async () => rmSync(step.path, { recursive: true, force: true }) }];
}

/**
 * Lets `user` read `path`: `u:USER:r` on the file, `u:USER:x` on each directory above it the user
 * cannot pass, and the same read entry as the directory's default, so that the file a rotation
 * creates anew is readable too. Each entry is recorded (uninstall removes exactly those).
 */
async function grantRead({ path, user, rotated }: Extract<Step, { kind: "read-access" }>, context: StepContext): Promise<Done[]> {
  const account = await findAccount(user);
  if (account === null) throw new Error(`user ${user} does not exist`);
  const can = async (test: string, target: string): Promise<boolean> => (await runCommand(asUser(account, ["test", test, target]) ?? [], { timeoutMs: COMMAND_TIMEOUT_MS })).exitCode === 0;
  const dir = dirname(path);
  if (!existsSync(rotated ? dir : path)) {
    context.say(rotated ? `${path}: its directory does not exist yet; once it does, \`lifeguard doctor\` says whether ${user} can read it` : `${path}: does not exist (yet); once it does, run install again to let ${user} read it`);
    return [];
  }
  const entries: Array<{ target: string; entry: string; flags: string[] }> = [];
  const ancestors = dir.split("/").slice(1).map((_, index, parts) => `/${parts.slice(0, index + 1).join("/")}`);
  for (const ancestor of ancestors) if (!(await can("-x", ancestor))) entries.push({ target: ancestor, entry: `u:${user}:x`, flags: [] });
  // A log's next file (logrotate's) is readable too by the directory's default entry; one already
  // there (an install run again) is not added, so not recorded, nor taken back by a rollback.
  if (rotated && !(await hasDefaultRead(dir, user))) entries.push({ target: dir, entry: `u:${user}:r`, flags: ["-d"] });
  if (existsSync(path) && !(await can("-r", path))) entries.push({ target: path, entry: `u:${user}:r`, flags: [] });
  const done: Done[] = [];
  for (const { target, entry, flags } of entries) {
    await mustRun(["setfacl", ...flags, "-m", entry, target]);
    const key = `${flags.includes("-d") ? "default:" : ""}${target}`;
    context.record({ kind: "acl", target: key, sha256: null, detail: entry });
    done.push({ record: { kind: "acl", target: key }, said: `ACL ${flags.join(" ")} ${entry} on ${target}`.replace("  ", " "), undo: () => removeAcl(key, user) });
  }
  context.say(`${path}: ${user} may read it${done.length === 0 ? " already" : ` (${done.map((entry) => entry.said.replace("ACL ", "")).join("; ")})`}`);
  return done;
}

/** `dir`'s default ACL gives `user` read access. */
async function hasDefaultRead(dir: string, user: string): Promise<boolean> {
  const acl = await mustRun(["getfacl", "--omit-header", "--absolute-names", "--default", dir]);
  // With --default, the entries are listed without their "default:" prefix.
  return acl.stdout.split("\n").some((line) => line.startsWith(`user:${user}:r`));
}

/** Removes `user`'s ACL entry from a recorded target (`default:/dir` for a directory's default entry). */
export async function removeAcl(key: string, user: string): Promise<void> {
  const isDefault = key.startsWith("default:");
  const target = isDefault ? key.slice("default:".length) : key;
  if (!existsSync(target)) return;
  await mustRun(["setfacl", ...(isDefault ? ["-d"] : []), "-x", `u:${user}`, target]);
  // Where no named entry is left, the ACL install's entry brought along (the mask, the default
  // ACL's base entries) goes too: the file's mode alone, as before.
  const left = (await mustRun(["getfacl", "--omit-header", "--absolute-names", ...(isDefault ? ["--default"] : ["--access"]), target])).stdout;
  const named = left.split("\n").some((line) => /^(default:)?(user|group):[^:]+:/.test(line));
  if (!named) await mustRun(["setfacl", isDefault ? "-k" : "-b", target]);
}

async function writeFile(step: Extract<Step, { kind: "file" }>, context: StepContext): Promise<Done[]> {
  const action = context.fileAction(step.path);
  if (action === "conflict") throw new Error(`${step.path} was changed by hand`);
  const previous = readOptional(step.path);
  const previousMode = previous === null ? null : statSync(step.path).mode & 0o7777;
  if (action !== "unchanged") await writeWhole(step.path, step.content, step.mode, step.validate);
  else chmodSync(step.path, step.mode);
  context.record({ kind: "file", target: step.path, sha256: sha256(step.content), detail: "" });
  const verb = { write: "written", unchanged: "unchanged", update: "updated", replace: "replaced (it had been edited by hand: --force)" }[action];
  context.say(`${step.path}: ${verb} (${step.what})`);
  if (action === "unchanged") return [];
  return [{
    record: { kind: "file", target: step.path },
    said: `${verb} ${step.path}`,
    undo: async () => (previous === null ? rmSync(step.path, { force: true }) : await writeWhole(step.path, previous, previousMode ?? step.mode)),
  }];
}

async function enableUnit(unit: string, context: StepContext): Promise<Done[]> {
  const before = await runCommand(["systemctl", "is-enabled", unit], { timeoutMs: COMMAND_TIMEOUT_MS });
  const wasEnabled = before.stdout.trim() === "enabled";
  try {
    await mustRun(["systemctl", "enable", "--now", unit], START_TIMEOUT_MS);
  } catch (error) {
    // Enabled but failing to start (a unit that restarts itself would go on trying): taken back
    // here, as the rollback knows only the steps that succeeded.
    if (!wasEnabled) await runCommand(["systemctl", "disable", "--now", unit], { timeoutMs: START_TIMEOUT_MS });
    throw error;
  }
  // A unit that was running already runs its old settings until restarted: a changed unit file is
  // put in force. A change of comments alone (the header's version, after an upgrade) restarts only
  // Lifeguard's daemon, whose code it was: never the bot for nothing.
  const path = `${UNIT_DIR}/${unit}`;
  const changed = ["update", "replace"].includes(context.fileAction(path)) && (unit === DAEMON_UNIT || context.settingsChanged(path));
  // A process keeps the groups it started with: the daemon reads the journal once restarted.
  const regrouped = wasEnabled && !changed && unit === DAEMON_UNIT && context.groupsChanged;
  if (changed || regrouped) await mustRun(["systemctl", "try-restart", unit], START_TIMEOUT_MS);
  context.say(`${unit}: ${wasEnabled ? "enabled already; started" : "enabled (starts at boot) and started"}${changed ? "; restarted with its new unit file" : regrouped ? "; restarted with its new group" : ""}`);
  if (wasEnabled) return [];
  context.record({ kind: "enabled", target: unit, sha256: null, detail: "" });
  return [{ record: { kind: "enabled", target: unit }, said: `enabled ${unit}`, undo: async () => void (await mustRun(["systemctl", "disable", "--now", unit], START_TIMEOUT_MS)) }];
}
