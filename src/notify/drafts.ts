import type { AlertBody } from "../core/alert-compose.js";
import type { AlertDraft } from "../core/outbox.js";
import type { AlertingConfig } from "../config/types.js";

/** The outbox drafts of `alerts`, each to `channels`, with the noise settings of `alerting`. */
export function draftAlerts(alerts: readonly AlertBody[], channels: readonly string[], alerting: AlertingConfig): AlertDraft[] {
  return alerts.map((alert) => ({
    alert,
    channels,
    // Identical events say the same sentence: a restart's says its count, so restarts never fold.
    dedupeKey: `${alert.service ?? ""}\n${alert.kind}\n${alert.message}`,
    dedupeMs: alerting.dedupeMs,
    flapping: alerting.flapping,
    expiresAt: alert.at + alerting.expireMs,
  }));
}
