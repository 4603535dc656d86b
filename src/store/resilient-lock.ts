import { monotonicMs } from "../process/monotonic.js";
import { createFallbackLock } from "./fallback-lock.js";
import { pause, type AcquireOptions, type Lease } from "./lock.js";
import { describeSelf, isOwnerAlive, type LeaseOwner } from "./lock-owner.js";
import type { Store } from "./store.js";
import { unlockedNotice, type StoreNotice } from "./store-notices.js";

/** What the resilient lock needs from the resilient store. */
export interface ResilientLockDeps {
  dir: string;
  now: () => number;
  notify(notice: StoreNotice): void;
  /** The SQLite store when it can be written now, else null. */
  store(): Store | null;
  recover(): void;
  /** Takes in a store error: true when the work can go on without the store. */
  absorb(error: unknown): boolean;
  /** Who holds `service`'s lock in the store (a read: it works on a full disk), or null. */
  readOwner(service: string): LeaseOwner | null;
}

export interface ResilientLock {
  acquire(service: string, options: AcquireOptions): Promise<Lease | null>;
  /** Tries again to release the store's leases whose release the disk refused. */
  releaseLeft(): void;
  releaseAll(): void;
}

const DEFAULT_POLL_MS = 100;

/**
 * "One restart at a time" without depending on the disk: the store's lock when it can be
 * written, else a lock link in the state directory (fallback-lock.ts: it needs no data block,
 * so a full disk still takes it). Each kind looks at the other after taking its own (the
 * store's lease, then the link; the link, then the store's row), so of two processes on the two
 * kinds one always sees the other. Where not even a link can be made (a read-only disk), the
 * round goes on without a lock and says so once: restarting matters more than the rare overlap.
 */
export function createResilientLock(deps: ResilientLockDeps): ResilientLock {
  const links = createFallbackLock(deps.dir);
  const self = describeSelf("lifeguard");
  const held = new Set<Lease>();
  const unlockedOnce = new Set<string>();
  const inProcess = new Set<string>();
  // Our own leases in the store whose release the disk refused: the row names us, alive.
  const left = new Map<string, Lease>();

  const storeLease = async (store: Store, service: string, options: AcquireOptions): Promise<Lease | null> => {
    const lease = await store.acquireLock(service, { ...options, waitMs: 0 });
    if (lease === null || !links.isHeldByOther(service)) return lease;
    lease.release();
    return null;
  };
  const linkLease = (service: string): Lease | null => {
    let link: { release(): void } | null;
    try {
      link = links.tryAcquire(service);
    } catch (error) {
      if (!unlockedOnce.has(service)) deps.notify(unlockedNotice(deps.now(), service, deps.dir, error));
      unlockedOnce.add(service);
      link = { release: () => undefined };
    }
    if (link === null) return null;
    const owner = deps.readOwner(service);
    const ours = owner !== null && owner.pid === self.pid && left.has(service);
    if (owner !== null && !ours && isOwnerAlive(owner, self)) {
      link.release();
      return null;
    }
    const release = link.release;
    return { service, owner: self, acquiredAt: deps.now(), tookOverFrom: null, release: () => (release(), true) };
  };
  const tryOnce = async (service: string, options: AcquireOptions): Promise<Lease | null> => {
    deps.recover();
    const store = deps.store();
    if (store !== null && !left.has(service)) {
      try {
        return await storeLease(store, service, options);
      } catch (error) {
        if (!deps.absorb(error)) throw error;
      }
    }
    return linkLease(service);
  };
  /** Not re-entrant, like the store's: a second acquire in this process waits. */
  const guarded = (lease: Lease): Lease => {
    inProcess.add(lease.service);
    const tracked: Lease = {
      ...lease,
      release: () => {
        held.delete(tracked);
        inProcess.delete(lease.service);
        try {
          return lease.release();
        } catch (error) {
          if (!deps.absorb(error)) throw error;
          left.set(lease.service, lease);
          return true;
        }
      },
    };
    held.add(tracked);
    return tracked;
  };
  const releaseLeft = (): void => {
    for (const [service, lease] of left) {
      lease.release();
      left.delete(service);
    }
  };

  return {
    acquire: async (service, options) => {
      const deadline = monotonicMs() + options.waitMs;
      for (;;) {
        options.signal?.throwIfAborted();
        const lease = inProcess.has(service) ? null : await tryOnce(service, options);
        if (lease !== null) return guarded(lease);
        const wait = deadline - monotonicMs();
        if (wait <= 0) return null;
        await pause(Math.min(options.pollMs ?? DEFAULT_POLL_MS, wait), options.signal);
      }
    },
    releaseLeft,
    releaseAll: () => {
      for (const lease of [...held]) lease.release();
      try {
        releaseLeft();
      } catch {
        // The disk still refuses: the row names a process that is about to end, and is taken over.
      }
    },
  };
}
