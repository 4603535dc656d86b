import { readFile } from "node:fs/promises";

/** A local account as /etc/passwd lists it. */
export interface UserAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export const PASSWD_FILE = "/etc/passwd";
export const GROUP_FILE = "/etc/group";

/** Parses passwd(5) lines (`name:x:uid:gid:gecos:home:shell`); malformed lines are skipped. */
export function parsePasswd(text: string): UserAccount[] {
  const accounts: UserAccount[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields.length < 7 || line.startsWith("#")) continue;
    const [name, , uid, gid, , home, shell] = fields as [string, string, string, string, string, string, string];
    if (name === "" || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) continue;
    accounts.push({ name, uid: Number(uid), gid: Number(gid), home, shell });
  }
  return accounts;
}

/** Parses group(5) lines (`name:x:gid:members`) into gid → name; malformed lines are skipped. */
export function parseGroupNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split("\n")) {
    const [name, , gid] = line.split(":");
    if (name === undefined || name === "" || line.startsWith("#") || gid === undefined || !/^\d+$/.test(gid)) continue;
    if (!names.has(Number(gid))) names.set(Number(gid), name);
  }
  return names;
}

/** The names of a uid and a gid from the local files, or the numbers as text when a file or an entry is missing. */
export async function accountNames(uid: number, gid: number, files = { passwd: PASSWD_FILE, group: GROUP_FILE }): Promise<{ user: string; group: string }> {
  const [passwd, group] = await Promise.all([readOrEmpty(files.passwd), readOrEmpty(files.group)]);
  return {
    user: parsePasswd(passwd).find((account) => account.uid === uid)?.name ?? String(uid),
    group: parseGroupNames(group).get(gid) ?? String(gid),
  };
}

const readOrEmpty = (path: string): Promise<string> => readFile(path, "utf8").catch(() => "");
