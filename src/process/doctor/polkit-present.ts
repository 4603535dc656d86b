import { POLKIT_UNIT } from "../../core/polkit-rule.js";
import { showUnit } from "./systemctl-show.js";

/**
 * Why systemd cannot ask polkit here, or null when it can: polkit's unit must be loaded (it is
 * `not-found` where polkit is not installed, and `masked` where it is switched off for good).
 */
export async function polkitAbsence(): Promise<string | null> {
  const shown = await showUnit(POLKIT_UNIT, ["LoadState"]);
  if ("error" in shown) return `systemctl cannot say whether polkit is installed (${shown.error})`;
  const state = shown.LoadState ?? "unknown";
  if (state === "loaded") return null;
  return state === "not-found" ? `polkit is not installed (no ${POLKIT_UNIT})` : `${POLKIT_UNIT} is ${state}`;
}
