import { storeAlert } from "../core/alert-compose.js";
import type { Severity } from "../core/alert.js";
import type { Clock } from "../core/clock.js";
import type { Logger, LogTag } from "../core/logger.js";
import type { LifeguardConfig } from "../config/types.js";
import { announceQueued } from "../engine/round-alerts.js";
import { draftAlerts } from "../core/alert-drafts.js";
import type { ResilientStore, StoreNotice } from "../store/index.js";
import type { Alerting } from "./alerting.js";

const TAGS: Record<StoreNotice["kind"], LogTag> = { unrecorded: "ERROR", recorded: "INFO", replaced: "ERROR", unlocked: "WARN" };
/** The notices a human hears of on every channel; a round without its lock is only logged. */
const ALERTS: Partial<Record<StoreNotice["kind"], { title: string; severity: Severity }>> = {
  unrecorded: { title: "History not recorded", severity: "warning" },
  recorded: { title: "History recorded again", severity: "resolved" },
  replaced: { title: "Corrupt store replaced", severity: "warning" },
};

/**
 * Logs what the store says about itself and alerts every channel. The alert goes through the
 * store's outbox, which keeps it in memory when the disk refuses it: it is sent all the same.
 */
export function announceStoreNotices(store: ResilientStore, config: LifeguardConfig, parts: { logger: Logger; clock: Clock; alerting: Alerting }): void {
  store.onNotice((notice) => {
    parts.logger.write({ at: notice.at, tag: TAGS[notice.kind], message: notice.message });
    const alert = ALERTS[notice.kind];
    const { deps } = parts.alerting;
    if (alert === undefined || deps === undefined) return;
    const body = storeAlert(deps.host, notice.at, alert.title, notice.message, alert.severity);
    announceQueued(store.enqueueAlerts(draftAlerts([body], config.channels.map((channel) => channel.name), deps.alerting)), deps);
  });
}
