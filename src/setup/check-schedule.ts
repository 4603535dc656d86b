import { CRON_FILE, CRON_UNITS, isRunningAndEnabled } from "../core/doctor/judge-units.js";
import { findCronDaemon } from "../process/doctor/cron-daemon.js";
import type { InstallPlan } from "./plan.js";

/**
 * Why the cron job the plan writes would never run, before anything changes: no cron daemon is
 * installed, or it is not running and enabled (it would not run after a reboot). Each problem
 * says both ways out. None for the daemon and the timer: systemd runs them.
 */
export async function scheduleProblems(plan: InstallPlan): Promise<string[]> {
  if (!plan.steps.some((step) => step.kind === "file" && step.path === CRON_FILE)) return [];
  const instead = "or install with --timer instead: systemd then runs `lifeguard check` every minute, no cron needed";
  const daemon = await findCronDaemon();
  if (daemon === null) return [`No cron daemon is installed (${CRON_UNITS.join(", ")}): the job in ${CRON_FILE} would never run. Install cron (apt-get install cron), ${instead}`];
  if (isRunningAndEnabled(daemon.properties)) return [];
  const { ActiveState: active = "unknown", UnitFileState: file = "unknown" } = daemon.properties;
  return [`${daemon.unit} is not running and enabled (ActiveState=${active}, UnitFileState=${file}): the job in ${CRON_FILE} would not run. ` +
    `Start it for good (systemctl enable --now ${daemon.unit}), ${instead}`];
}
