import type { Database } from "better-sqlite3";
import { monotonicMs } from "../process/monotonic.js";
import { setTimeout as sleep } from "node:timers/promises";
import { describeSelf, isOwnerAlive, type LeaseOwner } from "./lock-owner.js";

/** A held per-service lock. Not re-entrant: a second acquire in the same process waits like any other. */
export interface Lease {
  readonly service: string;
  readonly owner: LeaseOwner;
  readonly acquiredAt: number;
  /** The dead process this lease was taken over from, if any: it may have died mid-restart. */
  readonly tookOverFrom: LeaseOwner | null;
  /** Gives the lock up; false when it was no longer ours (taken over). Safe to call twice. */
  release(): boolean;
}

export interface AcquireOptions {
  /** How long to wait for a live holder to let go; 0 tries once. */
  waitMs: number;
  /** Aborting rejects the wait with the signal's reason. */
  signal?: AbortSignal;
  /** How often to try again while waiting; 100 ms by default. */
  pollMs?: number;
  /** What this process is doing, shown to others; `lifeguard` by default. */
  label?: string;
}

interface LockRow {
  token: string;
  pid: number;
  start_time: number | null;
  boot_id: string | null;
  host: string;
  label: string;
}

const DEFAULT_POLL_MS = 100;

/**
 * Takes the lock of `service`, waiting up to `waitMs` for a live holder; resolves null when the
 * wait ends without it. The lease is a row written under SQLite's write lock (BEGIN IMMEDIATE),
 * so of two processes only one gets it; a row whose owner is dead is taken over.
 */
export async function acquireLock(db: Database, service: string, options: AcquireOptions, now: () => number): Promise<Lease | null> {
  const self = describeSelf(options.label ?? "lifeguard");
  const deadline = monotonicMs() + options.waitMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const lease = tryAcquire(db, service, self, now);
    if (lease !== null) return lease;
    const left = deadline - monotonicMs();
    if (left <= 0) return null;
    await pause(Math.min(options.pollMs ?? DEFAULT_POLL_MS, left), options.signal);
  }
}

/** The current holder of `service`'s lock, dead or alive, or null. */
export function readLockOwner(db: Database, service: string): LeaseOwner | null {
  const row = db.prepare("SELECT * FROM locks WHERE service = ?").get(service) as LockRow | undefined;
  return row === undefined ? null : ownerOf(row);
}

function tryAcquire(db: Database, service: string, self: LeaseOwner, now: () => number): Lease | null {
  const take = db.transaction(() => {
    const holder = readLockOwner(db, service);
    if (holder !== null && isOwnerAlive(holder, self)) return null;
    // 128 random bits from SQLite's own generator: node:crypto would stay loaded in the daemon for this alone.
    const token = (db.prepare("SELECT lower(hex(randomblob(16))) AS token").get() as { token: string }).token;
    const acquiredAt = Math.trunc(now());
    db.prepare(
      `INSERT OR REPLACE INTO locks (service, token, pid, start_time, boot_id, host, label, acquired_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(service, token, self.pid, self.startTime, self.bootId, self.host, self.label, acquiredAt);
    return { token, acquiredAt, tookOverFrom: holder };
  });
  const taken = take.immediate();
  if (taken === null) return null;
  return {
    service,
    owner: self,
    acquiredAt: taken.acquiredAt,
    tookOverFrom: taken.tookOverFrom,
    release: () => db.open && db.prepare("DELETE FROM locks WHERE service = ? AND token = ?").run(service, taken.token).changes === 1,
  };
}

function ownerOf(row: LockRow): LeaseOwner {
  return { pid: row.pid, startTime: row.start_time, bootId: row.boot_id, host: row.host, label: row.label };
}

/** Waits `ms`; aborting `signal` rejects with its reason. */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  }
}
