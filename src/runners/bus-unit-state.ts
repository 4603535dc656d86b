import type { BusUnitProperties } from "../process/systemd-bus.js";
import type { UnitState } from "./systemd-unit-state.js";

/**
 * The bus's answer as the UnitState `systemctl show` would give; null when it lacks the states,
 * as `parseUnitState` gives for an answer without them.
 */
export function unitStateFromBus(properties: BusUnitProperties): UnitState | null {
  const { ActiveState: activeState, LoadState: loadState } = properties;
  if (typeof activeState !== "string" || activeState === "" || typeof loadState !== "string" || loadState === "") return null;
  const mainPid = properties.MainPID;
  return {
    loadState,
    activeState,
    subState: typeof properties.SubState === "string" ? properties.SubState : "",
    mainPid: typeof mainPid === "number" && Number.isSafeInteger(mainPid) && mainPid >= 0 ? mainPid : 0,
    result: typeof properties.Result === "string" ? properties.Result : "",
  };
}
