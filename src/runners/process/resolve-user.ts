import { readFileSync } from "node:fs";

/** A local account as /etc/passwd lists it. */
export interface UserAccount {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export const PASSWD_FILE = "/etc/passwd";

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

/**
 * The account `user` names, by name or else by numeric uid, or why there is none: the end of a
 * sentence like `user "ghost" does not exist (not in /etc/passwd)`. Only the local passwd file is
 * read: accounts served by NSS alone (LDAP, systemd's DynamicUser) are not found.
 */
export function resolveUser(user: string, passwdFile = PASSWD_FILE): UserAccount | { problem: string } {
  let text: string;
  try {
    text = readFileSync(passwdFile, "utf8");
  } catch (error) {
    return { problem: `"${passwdFile}" cannot be read to find user "${user}" (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const accounts = parsePasswd(text);
  const found = accounts.find((account) => account.name === user) ?? (/^\d+$/.test(user) ? accounts.find((account) => account.uid === Number(user)) : undefined);
  return found ?? { problem: `user "${user}" does not exist (not in ${passwdFile})` };
}
