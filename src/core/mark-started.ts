import type { ServiceState } from "./state.js";

/**
 * Lifeguard started the service itself (supervisor mode, at daemon start): its startup grace
 * runs from `now`, as after a restart, so a fresh process is not judged by a log it has not
 * yet written. Nothing else changes: no restart is counted.
 */
export function markStarted(state: ServiceState, now: number): ServiceState {
  return { ...state, lastStartAt: now };
}
