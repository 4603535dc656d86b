import type { Database } from "better-sqlite3";
import type { RetentionConfig } from "../config/types.js";
import type { CheckMemory } from "../core/check-memory.js";
import type { Heartbeat, HeartbeatStore, PingSignal } from "../core/heartbeat.js";
import type { Logger } from "../core/logger.js";
import type { Outbox } from "../core/outbox.js";
import type { ServiceEvent } from "../core/policy.js";
import type { ServiceState } from "../core/state.js";
import type { RestartRecord, RoundCommit, ServiceStore } from "../core/store.js";
import type { RunJournal } from "../core/run-journal.js";
import type { WatchLedger } from "../core/watch.js";
import type { RequestQueue } from "../core/requests.js";
import type { UpdateOffsets } from "../core/update-offsets.js";
import { toStoreError } from "./errors.js";
import { lookUpHeartbeat, readHeartbeat, recordPing, watchHeartbeat } from "./heartbeats.js";
import { recallCheck, rememberCheck, type CheckKey } from "./check-memory.js";
import { readHistory } from "./history.js";
import { insertKeptAlert, type KeptAlert } from "./kept-alerts.js";
import { acquireLock, readLockOwner, type AcquireOptions, type Lease } from "./lock.js";
import type { LeaseOwner } from "./lock-owner.js";
import { openDatabase } from "./open-database.js";
import { channelHealth, claimDue, insertAlerts, lastAlertAt, nextDueAt, settle } from "./outbox.js";
import type { ParsedState } from "./parse-state.js";
import { isPruneDue, prune } from "./prune.js";
import { insertEvent, insertRestart } from "./records.js";
import { commitRound, loadState, touchRound, type StateMemo } from "./service-state.js";
import { listServices } from "./services.js";
import { forgetRun, recordRun, runsOf } from "./supervised-runs.js";
import { beatWatch, claimWatch, endWatch, readWatchers, recordCheckRun } from "./watchers.js";
import { cancelRequest, enqueueRequest, finishRequest, forgetRequest, readRequest, takeRequests } from "./requests.js";
import { readUpdateOffset, saveUpdateOffset } from "./update-offsets.js";
import type { CommitResult, HistoryEntry, HistoryQuery, PruneResult, ServiceSummary, StoreStats } from "./types.js";

export interface StoreOptions {
  retention: RetentionConfig;
  /** The config's checks: a prune drops what any other check kept between runs. Absent: none is dropped for that. */
  checks?: readonly CheckKey[];
  /** Wall clock (ms since the epoch) for record times and pruning; `Date.now` by default. */
  now?: () => number;
  /** Hears of stored states that could not be read (and were replaced by the initial state). */
  logger?: Logger;
  /** A steady round refreshes `checked_at` at most this often; 5 min by default. */
  checkedAtThrottleMs?: number;
  /** How long a statement waits for another process's write lock; 5 s by default. */
  busyTimeoutMs?: number;
}

/** The SQLite store: state, history, events, per-service locks and heartbeats. Every method is one transaction or none. */
export interface Store extends ServiceStore, HeartbeatStore, CheckMemory, Outbox, RunJournal, WatchLedger, RequestQueue, UpdateOffsets {
  /** Path of the database file. */
  readonly file: string;
  loadState(service: string): ServiceState;
  commitRound(service: string, round: RoundCommit): CommitResult;
  recordEvent(service: string, event: ServiceEvent): void;
  /** Returns the record's id. */
  recordRestart(record: RestartRecord): number;
  history(query?: HistoryQuery): HistoryEntry[];
  /** Every known service; `restartsInWindow` counts restarts since `since` (default: all). */
  services(options?: { since?: number }): ServiceSummary[];
  /** Runs retention when due (at most hourly) or when forced. `commitRound` calls it after writing. */
  prune(options?: { now?: number; force?: boolean }): PruneResult;
  acquireLock(service: string, options: AcquireOptions): Promise<Lease | null>;
  /** Who holds the lock of `service` (maybe a dead process not yet taken over), or null. */
  lockOwner(service: string): LeaseOwner | null;
  /** The last ping of `service` and since when it is watched; null when it never was. Writes nothing. */
  readHeartbeat(service: string): Heartbeat | null;
  /** Keeps `signal` as the last ping of `service` (the daemon, for each ping it accepts). */
  recordPing(service: string, signal: PingSignal, at: number): void;
  /** Starts the watch of `service`'s pings over at `at` (the daemon, when it begins taking them). */
  watchHeartbeat(service: string, at: number): void;
  /** `PRAGMA integrity_check` problems (`quick_check` with `quick`: no index cross-checks); empty when the file is sound. */
  checkIntegrity(options?: { quick?: boolean }): string[];
  /** Writes an alert kept in memory while the store could not be written, deliveries and all. */
  recordKeptAlert(kept: KeptAlert): void;
  stats(): StoreStats;
  /** Releases the leases still held and closes the file. */
  close(): void;
}

const DEFAULT_THROTTLE_MS = 5 * 60_000;
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const NOT_RUN: PruneResult = { ran: false, deletedByAge: 0, deletedBySize: 0, checksForgotten: 0, bytesBefore: 0, bytesAfter: 0 };

/** Opens the store in the `state` directory `dir`, creating and migrating it as needed. */
export function openStore(dir: string, options: StoreOptions): Store {
  const { db, file } = openDatabase(dir, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  const now = options.now ?? Date.now;
  const settings = { now, checkedAtThrottleMs: options.checkedAtThrottleMs ?? DEFAULT_THROTTLE_MS };
  const counts = { stateWrites: 0, checkedAtWrites: 0, eventWrites: 0, restartWrites: 0 };
  const held = new Set<Lease>();
  const parsedStates: StateMemo = new Map();
  const guard = <T>(action: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw toStoreError(error, action, file);
    }
  };
  const report = (service: string, parsed: ParsedState): ServiceState => {
    if (parsed.problem !== null) warnUnreadable(options.logger, now(), service, parsed);
    return parsed.state;
  };
  const pruneIfDue = (at: number, force: boolean): PruneResult =>
    force || isPruneDue(db, at) ? prune(db, options.retention, at, options.checks ?? null) : NOT_RUN;

  return {
    file,
    loadState: (service) => guard("read", () => report(service, loadState(db, service, parsedStates))),
    commitRound: (service, round) =>
      guard("write to", () => {
        const result = commitRound(db, service, round, settings);
        counts.stateWrites += Number(result.stateWritten);
        counts.checkedAtWrites += Number(result.checkedAtWritten);
        counts.eventWrites += result.events;
        counts.restartWrites += Number(result.restartId !== null);
        if (result.events > 0 || result.restartId !== null) pruneIfDue(now(), false);
        return result;
      }),
    touchRound: (service, state, checkedAt) =>
      guard("write to", () => {
        const result = touchRound(db, service, state, checkedAt, settings, parsedStates);
        counts.checkedAtWrites += Number(result === "refreshed");
        return result !== "changed";
      }),
    recordEvent: (service, event) =>
      guard("write to", () => {
        insertEvent(db, service, event);
        counts.eventWrites += 1;
      }),
    recordRestart: (record) =>
      guard("write to", () => {
        counts.restartWrites += 1;
        return insertRestart(db, record);
      }),
    history: (query) => guard("read", () => readHistory(db, query)),
    services: ({ since = Number.MIN_SAFE_INTEGER } = {}) => guard("read", () => listServices(db, since, (service, parsed) => report(service, parsed))),
    prune: ({ now: at = now(), force = false } = {}) => guard("prune", () => pruneIfDue(at, force)),
    acquireLock: async (service, lockOptions) => {
      try {
        const lease = await acquireLock(db, service, lockOptions, now);
        return lease === null ? null : track(held, lease);
      } catch (error) {
        throw toStoreError(error, "lock", file);
      }
    },
    lockOwner: (service) => guard("read", () => readLockOwner(db, service)),
    lookUpHeartbeat: (service, at) => guard("read", () => lookUpHeartbeat(db, service, at)),
    readHeartbeat: (service) => guard("read", () => readHeartbeat(db, service)),
    recordPing: (service, signal, at) => guard("write to", () => recordPing(db, service, signal, at)),
    watchHeartbeat: (service, at) => guard("write to", () => watchHeartbeat(db, service, at)),
    recall: (service, check) => guard("read", () => recallCheck(db, service, check)),
    remember: (service, check, value, at) => guard("write to", () => rememberCheck(db, service, check, value, at)),
    enqueueAlerts: (drafts) => guard("write to", () => db.transaction(() => insertAlerts(db, drafts)).immediate()),
    claimDue: (channel, at, claimOptions) => guard("write to", () => claimDue(db, channel, at, claimOptions)),
    settle: (channel, alertIds, settlement, at, owner) => guard("write to", () => settle(db, channel, alertIds, settlement, at, owner)),
    nextDueAt: (channels) => guard("read", () => nextDueAt(db, channels)),
    lastAlertAt: (service, kinds) => guard("read", () => lastAlertAt(db, service, kinds)),
    channelHealth: (channels) => guard("read", () => channelHealth(db, channels)),
    recordRun: (run) => guard("write to", () => recordRun(db, run)),
    forgetRun: (token) => guard("write to", () => forgetRun(db, token)),
    runsOf: (service) => guard("read", () => runsOf(db, service)),
    watchers: () => guard("read", () => readWatchers(db)),
    claimWatch: (records, isLive) => guard("write to", () => claimWatch(db, records, isLive)),
    recordCheckRun: (record, isLive) => guard("write to", () => recordCheckRun(db, record, isLive)),
    beatWatch: (pid, since, at) => guard("write to", () => beatWatch(db, pid, since, at)),
    endWatch: (pid, since, at, reason) => guard("write to", () => endWatch(db, pid, since, at, reason)),
    enqueueRequest: (request) => guard("write to", () => enqueueRequest(db, request)),
    takeRequests: (daemonPid) => guard("write to", () => takeRequests(db, daemonPid)),
    finishRequest: (id, ok, summary, at) => guard("write to", () => finishRequest(db, id, ok, summary, at)),
    readRequest: (id) => guard("read", () => readRequest(db, id)),
    cancelRequest: (id) => guard("write to", () => cancelRequest(db, id)),
    forgetRequest: (id) => guard("write to", () => forgetRequest(db, id)),
    readUpdateOffset: (bot) => guard("read", () => readUpdateOffset(db, bot)),
    saveUpdateOffset: (bot, offset, at) => guard("write to", () => saveUpdateOffset(db, bot, offset, at)),
    checkIntegrity: ({ quick = false } = {}) => guard("check", () => checkIntegrity(db, quick)),
    recordKeptAlert: (kept) => guard("write to", () => insertKeptAlert(db, kept)),
    stats: () => ({ ...counts, rowsChanged: db.prepare("SELECT total_changes()").pluck().get() as number }),
    close: () => {
      for (const lease of [...held]) lease.release();
      db.close();
    },
  };
}

/** Wraps a lease so the store knows which are held (and releases them on close). */
function track(held: Set<Lease>, lease: Lease): Lease {
  const tracked: Lease = {
    ...lease,
    release: () => {
      held.delete(tracked);
      return lease.release();
    },
  };
  held.add(tracked);
  return tracked;
}

function checkIntegrity(db: Database, quick: boolean): string[] {
  const pragma = quick ? "quick_check" : "integrity_check";
  const rows = db.pragma(pragma) as Array<Record<string, string>>;
  return rows.map((row) => row[pragma] ?? "").filter((line) => line !== "ok");
}

function warnUnreadable(logger: Logger | undefined, at: number, service: string, parsed: ParsedState): void {
  logger?.write({
    at,
    tag: "WARN",
    service,
    message: `Cannot read the stored state of "${service}" as ${parsed.problem}; starting it from the initial state`,
    ...("detail" in parsed && parsed.detail !== undefined ? { data: { detail: parsed.detail } } : {}),
  });
}
