import { readFile } from "node:fs/promises";
import type { LifeguardUser } from "../../core/doctor/judge-access.js";
import { fail, type Finding } from "../../core/doctor/finding.js";
import { accountNames, parsePasswd, PASSWD_FILE } from "../../process/accounts.js";
import type { UnitProperties } from "../../core/doctor/judge-units.js";
import { adminCommand, type FixContext } from "../../core/doctor/fixes.js";

/** The units whose `User=` is Lifeguard's user, in the order they are asked. */
export const RUNNING_UNITS = ["lifeguard.service", "lifeguard-check.service"] as const;

/**
 * Lifeguard's user: `--user` when given; else the `User=` of the installed `lifeguard.service`
 * (root when it sets none), else of `lifeguard-check.service`; else the user running doctor.
 * A failing finding when that user does not exist.
 */
export async function findLifeguardUser(override: string | undefined, units: ReadonlyMap<string, UnitProperties>, context: FixContext): Promise<LifeguardUser | Finding> {
  const accounts = parsePasswd(await readFile(PASSWD_FILE, "utf8").catch(() => ""));
  const named = (name: string, source: string): LifeguardUser | Finding => {
    const account = accounts.find((entry) => entry.name === name || (/^\d+$/.test(name) && entry.uid === Number(name)));
    if (account === undefined) return fail("user", `${name} (${source}) does not exist in ${PASSWD_FILE}`, adminCommand(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], context));
    return { name: account.name, uid: account.uid, gid: account.gid, source };
  };
  if (override !== undefined) return named(override, "--user");
  for (const unit of RUNNING_UNITS) {
    const properties = units.get(unit);
    if (properties?.LoadState === "loaded") return named(properties.User === undefined || properties.User === "" ? "root" : properties.User, `User= of ${unit}`);
  }
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return { name: (await accountNames(uid, gid)).user, uid, gid, source: "the user running doctor: no lifeguard.service or lifeguard-check.service is installed" };
}

/** The name of a user's primary group, for `chown` and `install -g`. */
export async function groupOf(user: LifeguardUser): Promise<string> {
  return (await accountNames(user.uid, user.gid)).group;
}
