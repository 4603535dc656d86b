import { CRON_UNITS, isLoaded, type UnitProperties } from "../../core/doctor/judge-units.js";
import { showUnit } from "./systemctl-show.js";

/** The cron daemon's unit as systemd shows it (the first of `CRON_UNITS` installed), or null when none is. */
export async function findCronDaemon(): Promise<{ unit: string; properties: UnitProperties } | null> {
  for (const unit of CRON_UNITS) {
    const shown = await showUnit(unit, ["LoadState", "ActiveState", "SubState", "UnitFileState"]);
    if (!("error" in shown) && isLoaded(shown)) return { unit, properties: shown };
  }
  return null;
}
