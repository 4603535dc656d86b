import { lstatSync } from "node:fs";
import { SYSTEMD_RUNTIME_DIR } from "../../core/doctor/judge-no-systemd.js";

/**
 * Whether systemd is this box's init, as sd_booted() tells it: systemd makes /run/systemd/system
 * as it boots, and no other init does (a container, a box under sysvinit or OpenRC).
 */
export function isSystemdBooted(): boolean {
  try {
    return lstatSync(SYSTEMD_RUNTIME_DIR).isDirectory();
  } catch {
    return false;
  }
}
