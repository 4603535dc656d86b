import type { LifeguardConfig } from "../../config/types.js";
import { adminCommand, type FixContext } from "../../core/doctor/fixes.js";
import type { Finding } from "../../core/doctor/finding.js";
import type { LifeguardUser } from "../../core/doctor/judge-access.js";
import { judgeDaemonPrivileges } from "../../core/doctor/judge-rights.js";
import { DAEMON_UNIT, type UnitProperties } from "../../core/doctor/judge-units.js";
import { readPrivileges } from "../../process/doctor/process-privileges.js";

/**
 * Under `privilege: sudo`, whether the running daemon can gain root through sudo at all: read
 * from its process (`/proc/PID/status`), not guessed from its unit's settings. Nothing when
 * Lifeguard runs as root (root needs not gain it) or no daemon runs.
 */
export async function daemonPrivilegeFindings(config: LifeguardConfig, daemon: UnitProperties, user: LifeguardUser, context: FixContext): Promise<Finding[]> {
  const pid = Number(daemon.MainPID ?? "0");
  if (config.privilege !== "sudo" || user.uid === 0 || daemon.ActiveState !== "active" || !(pid > 0)) return [];
  const privileges = await readPrivileges(pid);
  if (privileges === null) return [];
  const install = adminCommand(["lifeguard", "install", "--daemon", "--user", user.name, "-c", config.source], context);
  return [judgeDaemonPrivileges({ unit: DAEMON_UNIT, pid, ...privileges }, user, { ...context, install })];
}
