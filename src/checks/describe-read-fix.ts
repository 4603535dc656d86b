import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { accountNames } from "../process/accounts.js";

/** Who the checks run as: the account a fix must let in. */
interface Reader {
  name: string;
  groups: readonly number[];
}

/** The first step of a path that stops the reader: a directory it cannot enter (`x`), or the file it cannot read (`r`). */
interface Blocked {
  path: string;
  need: "x" | "r";
}

const ROOT_GID = 0;

/**
 * The command that lets Lifeguard read a log it could not (`Observation.hint`), from the error's
 * code: for permission denied it finds the directory or file that refuses Lifeguard's user, and
 * names its owner, group and mode; undefined for a code it has no fix for.
 */
export async function describeReadFix(path: string, code: string | undefined): Promise<string | undefined> {
  const where = shellQuote(dirname(path));
  switch (code) {
    case "EACCES":
    case "EPERM":
      return describeAccessFix(resolve(path));
    case "ELOOP":
      return `Repair the symbolic links on the way to "${path}", which loop: "namei -l ${shellQuote(path)}" shows them`;
    case "EIO":
      return `Check the disk holding "${path}", which fails to read (EIO): see "dmesg" and "findmnt -T ${where}"`;
    case "ESTALE":
    case "ENOTCONN":
    case "EHOSTDOWN":
      return `Remount the file system holding "${path}", which is stale or gone (${code}): see "findmnt -T ${where}"`;
    default:
      return undefined;
  }
}

async function describeAccessFix(path: string): Promise<string> {
  const reader = await currentReader();
  const blocked = await findBlocked(path);
  if (blocked === null) {
    return `Find what refuses user "${reader.name}" the log file "${path}" though its permissions allow it: a security module (AppArmor, SELinux) ` +
      `or the file system (NFS root squashing); "namei -l ${shellQuote(path)}" shows each step`;
  }
  const target = shellQuote(blocked.path);
  const what = blocked.need === "r" ? `read the log file "${blocked.path}"` : `enter the directory "${blocked.path}"`;
  const acl = `"setfacl -m u:${reader.name}:${blocked.need} ${target}"`;
  const owner = await ownerOf(blocked.path);
  if (owner === null) return `Let user "${reader.name}" ${what}: run ${acl}`;
  const chmod = `"chmod g+${blocked.need} ${target}"`;
  // Joining the group is an alternative only when the group is not root's.
  const viaGroup = reader.groups.includes(owner.gid) ? `, or ${chmod}` : owner.gid === ROOT_GID ? "" : `, or ${chmod} and "usermod -aG ${owner.group} ${reader.name}" (then restart Lifeguard)`;
  return `Let user "${reader.name}" ${what}: run ${acl}${viaGroup}; it is owned by "${owner.user}:${owner.group}" with mode ${owner.mode}`;
}

async function currentReader(): Promise<Reader> {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return { name: (await accountNames(uid, gid)).user, groups: [gid, ...(process.getgroups?.() ?? [])] };
}

/** Walks down from `/`: the first directory the reader cannot enter, else the file when it cannot read it, else null. */
async function findBlocked(path: string): Promise<Blocked | null> {
  const directories: string[] = [];
  for (let directory = dirname(path); ; directory = dirname(directory)) {
    directories.unshift(directory);
    if (dirname(directory) === directory) break;
  }
  for (const directory of directories) if (await isDenied(directory, constants.X_OK)) return { path: directory, need: "x" };
  return (await isDenied(path, constants.R_OK)) ? { path, need: "r" } : null;
}

/** True only when access(2) says permission denied: a missing step is no permission problem. */
async function isDenied(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "EACCES" || code === "EPERM";
  }
}

async function ownerOf(path: string): Promise<{ user: string; group: string; gid: number; mode: string } | null> {
  try {
    const stats = await stat(path);
    const names = await accountNames(stats.uid, stats.gid);
    return { ...names, gid: stats.gid, mode: (stats.mode & 0o7777).toString(8).padStart(4, "0") };
  } catch {
    return null;
  }
}

/** A path as a shell reads it: as it is when it holds only safe characters, else in single quotes. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
