import type { Observation } from "../core/outcome.js";
import type { Action, ServiceEvent, Verdict } from "../core/policy.js";
import type { HealthKind, ServiceState } from "../core/state.js";
import { EXIT } from "../core/errors.js";
import type { RestartOutcome } from "./restart-sequence.js";
import type { ServiceParts } from "./service-parts.js";

/** What one round did to one service: typed access for the library, the CLI and tests. */
export interface ServiceReport {
  service: string;
  observations: Observation[];
  verdict: Verdict;
  /** Actions decided this round (with `--dry-run`: what would have been done). */
  actions: Action[];
  restart: RestartOutcome | null;
  events: ServiceEvent[];
  health: HealthKind;
  /** The state the round left (with `--dry-run`: the state it would have left). */
  state: ServiceState;
  /** 0 healthy, 1 restarted successfully, 2 unhealthy and not fixed (DESIGN.md exit codes). */
  exitCode: number;
}

export function report(
  parts: ServiceParts, observations: Observation[], verdict: Verdict, actions: Action[],
  restart: RestartOutcome | null, events: ServiceEvent[], state: ServiceState,
): ServiceReport {
  return { service: parts.config.name, observations, verdict, actions, restart, events, health: state.health.kind, state, exitCode: exitCodeOf(verdict, restart) };
}

/** DESIGN.md: 0 healthy, 1 restarted successfully, 2 unhealthy and not fixed. */
export function exitCodeOf(verdict: Verdict, restart: RestartOutcome | null): number {
  if (restart !== null) return restart.ok ? EXIT.restarted : EXIT.unhealthy;
  // A service a human stopped is not a problem Lifeguard failed to fix.
  return verdict.status === "healthy" || verdict.status === "grace" || verdict.status === "stopped" ? EXIT.healthy : EXIT.unhealthy;
}
