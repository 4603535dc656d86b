import { showUnit } from "./systemctl-show.js";

/** The cron daemon's unit names: Debian's, then Fedora's and others'. */
const CRON_UNITS = ["cron.service", "crond.service"];

/** The unit of the box's cron daemon, or null when systemd knows none (not installed, or masked). */
export async function findCronUnit(): Promise<string | null> {
  for (const unit of CRON_UNITS) {
    const shown = await showUnit(unit, ["LoadState"]);
    if (!("error" in shown) && shown.LoadState === "loaded") return unit;
  }
  return null;
}
