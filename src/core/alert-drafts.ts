import type { AlertBody } from "./alert-compose.js";
import type { AlertDraft } from "./outbox.js";

/** How alerts are kept from becoming noise (the config's `alerting:`): what each draft carries. */
export interface AlertNoise {
  /** One of identical alerts is sent per this many ms. */
  dedupeMs: number;
  flapping: AlertDraft["flapping"];
  /** An alert not delivered within this many ms of its event is dropped. */
  expireMs: number;
}

/** The outbox drafts of `alerts`, each to `channels`, with the noise settings of `alerting`. */
export function draftAlerts(alerts: readonly AlertBody[], channels: readonly string[], alerting: AlertNoise): AlertDraft[] {
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
