import type { StoreError } from "./errors.js";
import { describeFault } from "./store-fault.js";

/**
 * What the store tells a human about itself: the history kept in memory as the disk cannot be
 * written (`unrecorded`), written again (`recorded`), a corrupt file replaced (`replaced`), a
 * service checked without a lock (`unlocked`). Each is said once per fault.
 */
export interface StoreNotice {
  kind: "unrecorded" | "recorded" | "replaced" | "unlocked";
  at: number;
  message: string;
}

/** `History not recorded in "…/lifeguard.db" as the disk is full (SQLITE_FULL): …`. */
export function unrecordedNotice(at: number, file: string, error: StoreError, limit: number): StoreNotice {
  return {
    kind: "unrecorded", at,
    message: `History not recorded in "${file}" as ${reasonOf(error)}: Lifeguard keeps watching and restarting from memory (up to ${limit} records) and writes them once the store can be written`,
  };
}

/** `History recorded again in "…": 12 records written, 0 dropped while the disk was full`. */
export function recordedNotice(at: number, file: string, fault: StoreError, written: number, dropped: number): StoreNotice {
  return { kind: "recorded", at, message: `History recorded again in "${file}": ${written} records written, ${dropped} dropped while ${describeFault(fault)}` };
}

/** `Moved the corrupt store "…" aside to "….corrupt-…" as …; started a fresh one`. */
export function replacedNotice(at: number, file: string, aside: string, error: StoreError): StoreNotice {
  return { kind: "replaced", at, message: `Moved the corrupt store "${file}" aside to "${aside}" as ${reasonOf(error)}; started a fresh one (the states Lifeguard knew are kept, the old history is in the moved file)` };
}

/** `Cannot lock "bot" in "…" as … ; checking it without the lock`. */
export function unlockedNotice(at: number, service: string, dir: string, error: unknown): StoreNotice {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return { kind: "unlocked", at, message: `Cannot lock "${service}" as neither the store nor a lock link in "${dir}" can be written (${code}); checking it without the lock` };
}

/** The reason of a store error, after its action and file: `the disk is full (SQLITE_FULL)`. */
function reasonOf(error: StoreError): string {
  return /^Cannot [^"]*"[^"]*" as (.*)$/s.exec(error.message)?.[1] ?? error.message;
}
