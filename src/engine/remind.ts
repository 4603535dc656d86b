import { isAcknowledged } from "../core/acknowledge.js";
import { reminderAlert, type AlertBody } from "../core/alert-compose.js";
import type { Clock } from "../core/clock.js";
import type { Outbox } from "../core/outbox.js";
import type { ServiceStore } from "../core/store.js";
import type { ServiceConfig } from "../config/types.js";
import { draftAlerts } from "../core/alert-drafts.js";
import { announceQueued, type AlertDeps } from "./round-alerts.js";

/** The alerts a reminder follows: the announcement itself, or the previous reminder. */
const REMINDED_BY = ["gave-up", "reminder"];

/**
 * Queues a reminder for each service that stays gave-up, whose incident nobody acknowledged, and
 * whose last such alert is older than `alerting.remind`. Run by the daemon every few minutes and by each `check`: both read
 * the outbox, so two processes remind once.
 */
export function queueReminders(services: readonly ServiceConfig[], store: ServiceStore & Outbox, clock: Clock, deps: AlertDeps | undefined): void {
  const remindMs = deps?.alerting.remindMs ?? null;
  if (deps === undefined || remindMs === null) return;
  const now = clock.now();
  for (const service of services) {
    if (service.alerts.length === 0) continue;
    const state = store.loadState(service.name);
    // A human acknowledged this incident (`/ack`): they know, and reminders would only nag.
    if (state.health.kind !== "gave-up" || isAcknowledged(state)) continue;
    const last = store.lastAlertAt(service.name, REMINDED_BY) ?? state.health.since;
    if (now - last < remindMs) continue;
    const body: AlertBody | null = reminderAlert(service.name, deps.host, now, state, service.policy.cliAddress);
    if (body === null) continue;
    announceQueued(store.enqueueAlerts(draftAlerts([body], service.alerts, deps.alerting)), deps);
  }
}
