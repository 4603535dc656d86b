import type { Enqueued } from "../core/outbox.js";
import type { ServiceEvent } from "../core/policy.js";
import type { ServiceState } from "../core/state.js";
import type { RestartRecord } from "../core/store.js";

/** What `commitRound` wrote. A steady healthy round writes nothing at all. */
export interface CommitResult {
  stateWritten: boolean;
  checkedAtWritten: boolean;
  events: number;
  /** Row id of the restart record, or null when the round had none. */
  restartId: number | null;
  /** What became of the round's alerts, in order. */
  alerts: Enqueued[];
}

/** One line of history: a restart, an event, or an alert and what became of it on each channel; newest first. */
export type HistoryEntry =
  | { type: "restart"; id: number; at: number; service: string; restart: RestartRecord }
  | { type: "event"; id: number; at: number; service: string; event: ServiceEvent }
  /** `service` is null for Lifeguard's own alerts (started, stopped). */
  | { type: "alert"; id: number; at: number; service: string | null; alert: AlertRecord };

/** An alert as the history keeps it: what it said, and its delivery on each channel. */
export interface AlertRecord {
  kind: string;
  title: string;
  /** Identical alerts folded into it. */
  repeats: number;
  deliveries: AlertDelivery[];
}

export interface AlertDelivery {
  channel: string;
  status: "pending" | "sent" | "failed" | "expired" | "handed-over";
  /** Attempts made, failed ones included. */
  attempts: number;
  /** When it was sent, failed for good, expired or was handed over; null while pending. */
  finishedAt: number | null;
  /** The last failure (its secrets hidden), or null. */
  lastError: string | null;
}

export interface HistoryQuery {
  service?: string;
  /** Only entries at or after this wall time (ms). */
  since?: number;
  /** At most this many entries; 100 by default. */
  limit?: number;
}

/** A known service as `lifeguard status` shows it. */
export interface ServiceSummary {
  service: string;
  state: ServiceState;
  /** Wall time the state last changed. */
  updatedAt: number;
  /** Wall time of the last round recorded (throttled: it may lag by up to the check throttle). */
  checkedAt: number | null;
  /** Restarts recorded since the window start given to `services()`. */
  restartsInWindow: number;
  lastRestart: RestartRecord | null;
}

/** What `prune` did. `ran: false` means it was not due (it runs at most once per interval). */
export interface PruneResult {
  ran: boolean;
  deletedByAge: number;
  deletedBySize: number;
  /** What checks kept between runs (check_memory), deleted: as old as the history pruned, or of a check the config no longer has. */
  checksForgotten: number;
  /** Bytes in use (pages minus free pages) before and after. */
  bytesBefore: number;
  bytesAfter: number;
}

/** Writes since the store was opened, for tests and `doctor`: wear on an SD card comes from these. */
export interface StoreStats {
  stateWrites: number;
  checkedAtWrites: number;
  eventWrites: number;
  restartWrites: number;
  /** Rows changed by this connection, as SQLite counts them (`total_changes()`). */
  rowsChanged: number;
}
