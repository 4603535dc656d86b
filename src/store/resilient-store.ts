import { join } from "node:path";
import type { SupervisedRun } from "../core/run-journal.js";
import type { Heartbeat } from "../core/heartbeat.js";
import { initialState, type ServiceState } from "../core/state.js";
import type { RoundCommit } from "../core/store.js";
import { monotonicMs } from "../process/monotonic.js";
import { storeError, type StoreError } from "./errors.js";
import { canonicalJson } from "./json.js";
import type { KeptAlert } from "./kept-alerts.js";
import { createJournal } from "./memory-journal.js";
import { createMemoryOutbox, type MemoryAlert } from "./memory-outbox.js";
import { moveAside } from "./move-aside.js";
import { DB_FILE_NAME } from "./open-database.js";
import { createResilientLock } from "./resilient-lock.js";
import { openStore, type Store, type StoreOptions } from "./store.js";
import { isCorrupt, isDiskFault } from "./store-fault.js";
import { recordedNotice, replacedNotice, unrecordedNotice, type StoreNotice } from "./store-notices.js";
import { resilientReports } from "./resilient-reports.js";
import type { CommitResult } from "./types.js";

export interface ResilientStoreOptions extends StoreOptions {
  /** The machine's name, in the ids of alerts kept in memory. */
  host: string;
  /** Records (events, restarts) and alerts kept in memory at most while the store cannot be written; 1000 by default. */
  memoryLimit?: number;
  /** How often a store that could not be written is tried again; 10 s by default. */
  retryMs?: number;
}

/** The store of a Lifeguard that acts (`run`, `check`): it never stops protecting because the disk fails. */
export interface ResilientStore extends Store {
  /** Hears the store's notices; those raised before (at open) are heard at once. */
  onNotice(listener: (notice: StoreNotice) => void): void;
}

const DEFAULT_LIMIT = 1000;
const DEFAULT_RETRY_MS = 10_000;
const NOTHING_WRITTEN = { stateWritten: false, checkedAtWritten: false, events: 0, restartId: null } as const;

/**
 * Opens the store in `dir` so that protection never depends on writing it. A write the disk
 * refuses (full, failing, read-only) is kept in a bounded memory journal, alerts in a memory
 * outbox (still sent, and retried); reads see memory over disk, so the restart limit holds; the
 * store is tried again every `retryMs` and what was kept is written in order. A corrupt file (at
 * open, by `quick_check`, or later) is moved aside, never deleted, and a fresh store started.
 */
export function openResilientStore(dir: string, options: ResilientStoreOptions): ResilientStore {
  const file = join(dir, DB_FILE_NAME);
  const now = options.now ?? Date.now;
  const limit = options.memoryLimit ?? DEFAULT_LIMIT;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const journal = createJournal(limit);
  const memory = createMemoryOutbox(limit, options.host, (count) => journal.countDropped(count));
  const heartbeats = new Map<string, Heartbeat>();
  /** Supervised runs recorded (or forgotten: null) while the disk refused: written once it takes writes again. */
  const runs = new Map<string, SupervisedRun | null>();
  const lastKnown = new Map<string, ServiceState>();
  const waiting: StoreNotice[] = [];
  let listener: ((notice: StoreNotice) => void) | null = null;
  const notify = (notice: StoreNotice): void => (listener === null ? void waiting.push(notice) : listener(notice));
  let inner: Store | null = null;
  let fault: StoreError | null = null;
  let lastTry = Number.NEGATIVE_INFINITY;

  const enterFault = (error: StoreError): void => {
    lastTry = monotonicMs();
    if (fault !== null) return;
    fault = error;
    notify(unrecordedNotice(now(), file, error, limit));
  };
  const replace = (error: StoreError): void => {
    try {
      inner?.close();
    } catch {
      // Closing a broken file may fail too: it is moved aside all the same.
    }
    inner = null;
    notify(replacedNotice(now(), file, moveAside(file, now()), error));
    // The fresh store starts from what Lifeguard knew: restart counts and gave-up survive.
    for (const [service, state] of lastKnown) if (journal.state(service) === undefined) journal.add(service, { state, events: [], checkedAt: now() });
  };
  /** Takes in a store error: true when the work can go on in memory. */
  const absorb = (error: unknown): boolean => {
    if (isCorrupt(error)) {
      replace(error);
      return true;
    }
    if (!isDiskFault(error)) return false;
    enterFault(error);
    return true;
  };
  const open = (): Store => {
    try {
      return verified(openStore(dir, options), file);
    } catch (error) {
      if (!isCorrupt(error)) throw error;
      replace(error);
      return verified(openStore(dir, options), file);
    }
  };
  const flush = (store: Store): number => {
    lock.releaseLeft();
    let written = journal.drain((entry) => store.commitRound(entry.service, entry.round));
    for (const alert of memory.alerts()) {
      if (isClaimed(alert, now())) continue; // being sent now: written after its attempt
      store.recordKeptAlert(keptOf(alert));
      memory.remove([alert.id]);
      written += 1;
    }
    for (const [token, run] of runs) {
      if (run === null) store.forgetRun(token);
      else store.recordRun(run);
      runs.delete(token);
    }
    for (const [service, heartbeat] of heartbeats) {
      if (heartbeat.lastPing === null) store.watchHeartbeat(service, heartbeat.watchedSince);
      else store.recordPing(service, heartbeat.lastPing.signal, heartbeat.lastPing.at);
      heartbeats.delete(service);
    }
    return written;
  };
  const nothingKept = (): boolean => journal.isEmpty() && memory.alerts().length === 0 && heartbeats.size === 0 && runs.size === 0;
  /** A write went through after a fault: say so once, with what was written and what was lost. */
  const healed = (written: number): void => {
    const ended = fault;
    const dropped = journal.dropped();
    fault = null;
    journal.reset();
    if (ended !== null) notify(recordedNotice(now(), file, ended, written, dropped));
  };
  /**
   * Opens the store, or writes what memory kept, when it is due: at once after a replacement,
   * every `retryMs` while the disk refuses. Only a write that goes through ends a fault.
   */
  const recover = (force = false): void => {
    if (inner !== null && nothingKept()) return;
    if (fault !== null && !force && monotonicMs() - lastTry < retryMs) return;
    lastTry = monotonicMs();
    try {
      inner ??= open();
      if (!nothingKept()) healed(flush(inner));
    } catch (error) {
      if (!absorb(error)) throw error;
    }
  };
  /** `write` to the store when nothing waits in memory before it (a write that goes through ends a fault); else `keep`. */
  const attempt = <T>(write: (store: Store) => T, keep: () => T): T => {
    recover();
    if (inner !== null && journal.isEmpty()) {
      try {
        const result = write(inner);
        if (fault !== null) healed(0);
        return result;
      } catch (error) {
        if (!absorb(error)) throw error;
      }
    }
    return keep();
  };
  /** A read; a disk that fails it (or a corrupt file) gives `fallback`. */
  const read = <T>(run: (store: Store) => T, fallback: T): T => {
    if (inner === null) return fallback;
    try {
      return run(inner);
    } catch (error) {
      if (!absorb(error)) throw error;
      return fallback;
    }
  };
  const loadState = (service: string): ServiceState => {
    const state = journal.state(service) ?? read((store) => store.loadState(service), lastKnown.get(service) ?? initialState());
    lastKnown.set(service, state);
    return state;
  };
  const readHeartbeat = (service: string): Heartbeat | null => heartbeats.get(service) ?? read((store) => store.readHeartbeat(service), null);
  const lock = createResilientLock({ dir, now, notify, store: () => (fault === null ? inner : null), recover, absorb, readOwner: (service) => read((store) => store.lockOwner(service), null) });

  try {
    inner = open();
  } catch (error) {
    if (!isDiskFault(error)) throw error;
    enterFault(error);
  }

  return {
    file,
    onNotice: (heard) => {
      listener = heard;
      for (const notice of waiting.splice(0)) heard(notice);
    },
    loadState,
    commitRound: (service, round) => {
      lastKnown.set(service, round.state);
      return attempt<CommitResult>((store) => store.commitRound(service, round), () => keepRound(service, round));
    },
    touchRound: (service, state, checkedAt) => {
      recover();
      const kept = journal.state(service);
      if (kept !== undefined || inner === null) return kept !== undefined && canonicalJson(kept) === canonicalJson(state);
      try {
        return inner.touchRound(service, state, checkedAt);
      } catch (error) {
        // The state matched and only its `checked_at` could not be refreshed: nothing is lost.
        if (isDiskFault(error)) return true;
        if (!absorb(error)) throw error;
        return false;
      }
    },
    recordEvent: (service, event) => attempt((store) => store.recordEvent(service, event), () => void keepRound(service, { state: loadState(service), events: [event], checkedAt: event.at })),
    recordRestart: (record) => attempt((store) => store.recordRestart(record), () => (keepRound(record.service, { state: loadState(record.service), events: [], restart: record, checkedAt: record.finishedAt }), -1)),
    history: (query) => read((store) => store.history(query), []),
    services: (query) => read((store) => store.services(query), []).map((summary) => ({ ...summary, state: journal.state(summary.service) ?? summary.state })),
    prune: (query) => attempt((store) => store.prune(query), () => ({ ran: false, deletedByAge: 0, deletedBySize: 0, checksForgotten: 0, bytesBefore: 0, bytesAfter: 0 })),
    acquireLock: (service, lockOptions) => lock.acquire(service, lockOptions),
    lockOwner: (service) => read((store) => store.lockOwner(service), null),
    lookUpHeartbeat: (service, at) =>
      heartbeats.get(service) ??
      attempt((store) => store.lookUpHeartbeat(service, at), () => {
        const heartbeat = readHeartbeat(service) ?? { watchedSince: at, lastPing: null };
        heartbeats.set(service, heartbeat);
        return heartbeat;
      }),
    readHeartbeat,
    recordPing: (service, signal, at) =>
      attempt((store) => store.recordPing(service, signal, at), () => void heartbeats.set(service, { watchedSince: readHeartbeat(service)?.watchedSince ?? at, lastPing: { at, signal } })),
    watchHeartbeat: (service, at) => attempt((store) => store.watchHeartbeat(service, at), () => void heartbeats.set(service, { watchedSince: at, lastPing: null })),
    recall: (service, check) => read((store) => store.recall(service, check), null),
    // Lost while the disk refuses: the next `check` dates the lines it then reads as new.
    remember: (service, check, value, at) => attempt((store) => store.remember(service, check, value, at), () => undefined),
    enqueueAlerts: (drafts) => attempt((store) => store.enqueueAlerts(drafts), () => memory.enqueueAlerts(drafts)),
    claimDue: (channel, at, claimOptions) => {
      recover();
      const kept = memory.claimDue(channel, at, claimOptions);
      const room = claimOptions.limit - kept.claimed.length;
      const stored = room <= 0 || fault !== null ? { claimed: [], expired: [] } : read((store) => store.claimDue(channel, at, { ...claimOptions, limit: room }), { claimed: [], expired: [] });
      return { claimed: [...kept.claimed, ...stored.claimed], expired: [...kept.expired, ...stored.expired] };
    },
    settle: (channel, ids, settlement, at, owner) => {
      memory.settle(channel, ids.filter((id) => id < 0), settlement, at, owner);
      const stored = ids.filter((id) => id > 0);
      // A settlement the disk refuses runs out with its claim: the alert is sent again, never lost.
      if (stored.length > 0) read((store) => store.settle(channel, stored, settlement, at, owner), undefined);
    },
    nextDueAt: (channels) => earliest(memory.nextDueAt(channels), read((store) => store.nextDueAt(channels), null)),
    lastAlertAt: (service, kinds) => latest(memory.lastAlertAt(service, kinds), read((store) => store.lastAlertAt(service, kinds), null)),
    channelHealth: (channels) => {
      const kept = memory.channelHealth(channels);
      const stored = read((store) => store.channelHealth(channels), kept);
      return stored.map((health, index) => ({ ...health, pending: health.pending + (stored === kept ? 0 : (kept[index]?.pending ?? 0)) }));
    },
    recordRun: (run) => attempt((store) => store.recordRun(run), () => void runs.set(run.token, run)),
    forgetRun: (token) => attempt((store) => store.forgetRun(token), () => void runs.set(token, null)),
    // What memory kept (recorded or forgotten while the disk refused) wins over the file.
    runsOf: (service) => [
      ...read((store) => store.runsOf(service), []).filter((run) => !runs.has(run.token)),
      ...[...runs.values()].filter((run): run is SupervisedRun => run !== null && run.service === service),
    ],
    ...resilientReports(attempt, read),
    checkIntegrity: (check) => read((store) => store.checkIntegrity(check), []),
    recordKeptAlert: (kept) => attempt((store) => store.recordKeptAlert(kept), () => undefined),
    stats: () => read((store) => store.stats(), { stateWrites: 0, checkedAtWrites: 0, eventWrites: 0, restartWrites: 0, rowsChanged: 0 }),
    close: () => {
      // A last try: what a one-shot `check` kept in memory is written if the disk allows now.
      recover(true);
      lock.releaseAll();
      inner?.close();
      inner = null;
    },
  };

  function keepRound(service: string, round: RoundCommit): CommitResult {
    journal.add(service, round);
    return { ...NOTHING_WRITTEN, alerts: memory.enqueueAlerts(round.alerts ?? []) };
  }
}

/** A store whose file passes `PRAGMA quick_check`; else it is closed and a `corrupt` error thrown. */
function verified(store: Store, file: string): Store {
  const problems = store.checkIntegrity({ quick: true });
  if (problems.length === 0) return store;
  store.close();
  throw storeError("corrupt", `Cannot open the store "${file}" as PRAGMA quick_check found ${problems.length} problem(s), the first: ${problems[0]}`);
}

function isClaimed(alert: MemoryAlert, now: number): boolean {
  return [...alert.deliveries.values()].some((delivery) => delivery.status === "pending" && delivery.claimedUntil > now);
}

function keptOf(alert: MemoryAlert): KeptAlert {
  return {
    draft: alert.draft,
    repeats: alert.repeats,
    deliveries: [...alert.deliveries].map(([channel, d]) => ({ channel, status: d.status, attempts: d.attempts, finishedAt: d.finishedAt, lastError: d.lastError, dueAt: d.dueAt })),
  };
}

const earliest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const latest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
