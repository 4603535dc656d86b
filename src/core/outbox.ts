import type { Alert } from "./alert.js";
import type { AlertBody } from "./alert-compose.js";

/** An alert on its way into the outbox, with where it goes and how noise is kept down. */
export interface AlertDraft {
  alert: AlertBody;
  /** The channels it goes to, by name; none: it is not stored. */
  channels: readonly string[];
  /** Identical alerts share it (service, kind and message); one is sent per `dedupeMs`. */
  dedupeKey: string;
  /** 0: never deduplicated. */
  dedupeMs: number;
  /** More than `max` alerts of its service within `perMs`: it is held (at most `perMs`) and goes out with the others held, as one digest. */
  flapping: { max: number; perMs: number };
  /** Dropped when not delivered by this wall time. */
  expiresAt: number;
}

/** What became of a draft: stored (perhaps held back by flapping), or folded into an identical one. */
export type Enqueued =
  | { outcome: "queued"; alertId: number; dueAt: number; held: boolean }
  | { outcome: "deduplicated"; alertId: number }
  | { outcome: "unrouted" };

/** One alert claimed for delivery on one channel. */
export interface ClaimedAlert {
  /** The outbox's row id, for `settle`. */
  rowId: number;
  alert: Alert;
  /** Identical alerts folded into it since (deduplicated). */
  repeats: number;
  /** Failed attempts so far on this channel. */
  attempts: number;
  /** First failed attempt on this channel, or null. */
  firstFailedAt: number | null;
  expiresAt: number;
}

/** What became of one claimed batch. */
export type Settlement =
  | { outcome: "sent" }
  /** Try again; the channel waits until `retryAt` before any attempt. */
  | { outcome: "retry"; error: string; retryAt: number }
  /** Retrying cannot help: the alerts are not sent on this channel. */
  | { outcome: "failed"; error: string }
  /** The channel `to` takes the alerts over. */
  | { outcome: "handed-over"; error: string; to: string };

/** How one channel stands, for `status`. */
export interface ChannelHealth {
  channel: string;
  pending: number;
  oldestPendingAt: number | null;
  /** Consecutive failed attempts; 0 after a success. */
  failures: number;
  retryAt: number | null;
  lastOkAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** The durable outbox (the store implements it with SQLite). Each method is one transaction. */
export interface Outbox {
  enqueueAlerts(drafts: readonly AlertDraft[]): Enqueued[];
  /**
   * Claims the due alerts of `channel` (oldest first, at most `limit`) for `leaseMs`: no other
   * process sends them meanwhile; a sender that dies leaves them to be claimed again after.
   * Also returns the alerts that expired undelivered (now marked so).
   */
  claimDue(channel: string, now: number, options: { leaseMs: number; limit: number; owner: string }): { claimed: ClaimedAlert[]; expired: Alert[] };
  settle(channel: string, alertIds: readonly number[], settlement: Settlement, now: number, owner: string): void;
  /** The earliest wall time a pending alert of one of `channels` may be sent, or null when none is pending. */
  nextDueAt(channels: readonly string[]): number | null;
  /** Wall time of the newest alert of `service` of one of `kinds`, or null. */
  lastAlertAt(service: string, kinds: readonly string[]): number | null;
  channelHealth(channels: readonly string[]): ChannelHealth[];
}
