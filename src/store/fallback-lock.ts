import { readlinkSync, renameSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { describeSelf, isOwnerAlive, type LeaseOwner } from "./lock-owner.js";

/**
 * The lock of a service while the store cannot be written: a symbolic link in the state
 * directory whose target names the owner (`pid:start time:boot id`). A link needs no data
 * block (its target lives in the inode), so it can be made on a full disk; making it is atomic
 * (EEXIST for the second process). A link whose owner is dead is taken over.
 */
export interface FallbackLock {
  /** Takes the lock of `service`; null when a live process holds it; throws when no link can be made (a read-only disk). */
  tryAcquire(service: string): { release(): void } | null;
  /** Whether a live process other than this one holds `service`'s link. */
  isHeldByOther(service: string): boolean;
}

export function createFallbackLock(dir: string): FallbackLock {
  const self = describeSelf("lifeguard");
  const mine = `${self.pid}:${self.startTime ?? ""}:${self.bootId ?? ""}`;
  const pathOf = (service: string): string => join(dir, `lifeguard.lock.${service}`);
  const holder = (path: string): LeaseOwner | null => {
    const target = readTarget(path);
    return target === null ? null : parseOwner(target);
  };
  const release = (path: string): void => {
    if (readTarget(path) === mine) unlinkQuietly(path);
  };
  return {
    tryAcquire: (service) => {
      const path = pathOf(service);
      try {
        symlinkSync(mine, path);
        return { release: () => release(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const owner = holder(path);
      if (owner !== null && isOwnerAlive(owner, self)) return null;
      // Dead owner: put our link in its place at once (rename is atomic), then make sure it is ours.
      const ours = `${path}.${self.pid}`;
      unlinkQuietly(ours);
      symlinkSync(mine, ours);
      renameSync(ours, path);
      return readTarget(path) === mine ? { release: () => release(path) } : null;
    },
    isHeldByOther: (service) => {
      const owner = holder(pathOf(service));
      return owner !== null && owner.pid !== self.pid && isOwnerAlive(owner, self);
    },
  };
}

function readTarget(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

function parseOwner(target: string): LeaseOwner {
  const [pid = "", startTime = "", bootId = ""] = target.split(":");
  return { pid: Number(pid), startTime: startTime === "" ? null : Number(startTime), bootId: bootId === "" ? null : bootId, host: "", label: "lifeguard" };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
