import { alertOfEvent, type AlertBody } from "../core/alert-compose.js";
import type { Observation } from "../core/outcome.js";
import type { AlertDraft, Enqueued } from "../core/outbox.js";
import type { ServiceEvent } from "../core/policy.js";
import type { ServiceState } from "../core/state.js";
import type { AlertingConfig, ServiceConfig } from "../config/types.js";
import { draftAlerts } from "../core/alert-drafts.js";

/** What the engine needs to turn events into alerts; absent: nothing is alerted (no channel configured). */
export interface AlertDeps {
  /** The machine's name, in every alert. */
  host: string;
  alerting: AlertingConfig;
  /** New alerts are in the outbox: the notifier should look now. */
  queued(): void;
}

/** The outbox drafts of a round's events that alert a human, composed with the round's evidence. */
export function roundAlerts(
  events: readonly ServiceEvent[], config: ServiceConfig, observations: readonly Observation[], state: ServiceState, deps: AlertDeps | undefined,
): AlertDraft[] {
  if (deps === undefined || config.alerts.length === 0) return [];
  const context = { service: config.name, host: deps.host, observations, state, policy: config.policy };
  const bodies = events.map((event) => alertOfEvent(event, context)).filter((body): body is AlertBody => body !== null);
  return draftAlerts(bodies, config.alerts, deps.alerting);
}

/** Tells the notifier when something was queued. */
export function announceQueued(results: readonly Enqueued[], deps: AlertDeps | undefined): void {
  if (results.some((result) => result.outcome === "queued")) deps?.queued();
}
