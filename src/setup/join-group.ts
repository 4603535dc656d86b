import { COMMAND_TIMEOUT_MS, mustRun } from "./host.js";
import { runCommand } from "../process/run-command.js";

/** `getent group` exits 2 when there is no such group. */
const GETENT_NOT_FOUND = 2;

/** The supplementary members of `group` (its fourth field in /etc/group); null when the group does not exist. */
export async function groupMembers(group: string): Promise<string[] | null> {
  const result = await runCommand(["getent", "group", group], { timeoutMs: COMMAND_TIMEOUT_MS });
  if (result.exitCode === GETENT_NOT_FOUND) return null;
  if (!result.ok) throw new Error(`getent group ${group} failed: ${result.stderr.trim() || result.summary}`);
  const members = result.stdout.trim().split(":")[3] ?? "";
  return members === "" ? [] : members.split(",");
}

/** Adds `user` to `group` (`usermod -a -G`, its other groups kept); false when it was a member already. */
export async function joinGroup(user: string, group: string): Promise<boolean> {
  const members = await groupMembers(group);
  if (members === null) throw new Error(`group ${group} does not exist: is systemd's journald installed (Debian's package "systemd")?`);
  if (members.includes(user)) return false;
  await mustRun(["usermod", "-a", "-G", group, user]);
  return true;
}

/** Takes `user` out of `group` (`gpasswd -d`), nothing else; nothing to do when it is not a member (or either is gone). */
export async function leaveGroup(user: string, group: string): Promise<void> {
  const members = await groupMembers(group);
  if (members === null || !members.includes(user)) return;
  await mustRun(["gpasswd", "-d", user, group]);
}
