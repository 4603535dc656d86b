import { readFileSync } from "node:fs";
import { parsePasswd, PASSWD_FILE, type UserAccount } from "../../process/accounts.js";

export { parsePasswd, PASSWD_FILE, type UserAccount } from "../../process/accounts.js";

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
