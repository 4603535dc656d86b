import { eventAction, HEALTHY, statusOfHealth } from "./decision-parts.js";
import { startService, stopService } from "./control.js";
import type { Decision, RestartResult } from "./policy.js";
import type { ServiceState } from "./state.js";
import { resetCommand } from "./policy-messages.js";

/**
 * What a human's stop, start or restart leaves once carried out. Nothing of it counts against the
 * restart limit or the backoff: those bound what Lifeguard does on its own.
 */

/** After `lifeguard stop`: stopped and left so, or, when it did not stop, judged as before. */
export function settleStop(state: ServiceState, result: RestartResult, now: number, service: string, by: string, address: readonly string[] = []): Decision {
  return result.ok ? stopService(state, now, service, by, address) : requestFailed(state, now, by, "stop", result.summary);
}

/** After `lifeguard start`: judged again from now (the startup grace runs), whether the start took or not. */
export function settleStart(state: ServiceState, result: RestartResult, now: number, service: string, by: string): Decision {
  const started = startService(state, now, service, by);
  if (result.ok) return started;
  // It is to run, so Lifeguard's own restarts take over from here.
  const failed = requestFailed(started.state, now, by, "start", result.summary);
  return { ...failed, state: started.state };
}

/**
 * After `lifeguard restart`: a service that started again is judged from a new startup grace
 * (still gave-up if it had given up: only `reset` re-arms); a stop ends. A restart that failed
 * alerts as any failed restart, and leaves the service as it was.
 */
export function settleRequestedRestart(state: ServiceState, result: RestartResult, now: number, service: string, by: string, address: readonly string[] = []): Decision {
  const data = { by, requested: true, summary: result.summary };
  if (!result.ok) {
    const message = `${result.summary} (asked by ${by})`;
    return { state, actions: [eventAction("restart-failed", now, message, data)], verdict: { status: statusOfHealth(state.health), why: message } };
  }
  const { control, ...rest } = state;
  const next: ServiceState = { ...(control?.kind === "stopped" ? rest : state), lastStartAt: now, healthySince: null, health: state.health.kind === "gave-up" ? state.health : HEALTHY };
  const still = state.health.kind === "gave-up" ? `; automatic restarts stay off until "${resetCommand(service, address)}"` : "";
  const message = `Restarted "${service}" at the request of ${by}${still}`;
  return { state: next, actions: [eventAction("restarted", now, message, data)], verdict: { status: statusOfHealth(next.health), why: message } };
}

/** `summary` says what could not be done (`Cannot stop "bot": ...`), as the sequence put it. */
function requestFailed(state: ServiceState, now: number, by: string, action: "stop" | "start", summary: string): Decision {
  const message = `${summary} (asked by ${by})`;
  return { state, actions: [eventAction("request-failed", now, message, { by, action, summary })], verdict: { status: statusOfHealth(state.health), why: message } };
}
