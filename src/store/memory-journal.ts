import type { RoundCommit } from "../core/store.js";
import type { ServiceState } from "../core/state.js";

/** One round kept in memory while the store cannot be written; its alerts are in the memory outbox. */
export interface JournalEntry {
  service: string;
  round: Omit<RoundCommit, "alerts">;
}

/** The rounds the store could not write, oldest first, bounded; what did not fit is counted. */
export interface MemoryJournal {
  add(service: string, round: RoundCommit): void;
  /** The newest state of `service` kept here, or undefined. */
  state(service: string): ServiceState | undefined;
  isEmpty(): boolean;
  /** Records (events and restarts) dropped to keep within the limit since the last drain. */
  dropped(): number;
  /**
   * Writes the entries in order with `write`, each removed once written; the first failure is
   * rethrown and leaves it and the rest. Returns how many records were written.
   */
  drain(write: (entry: JournalEntry) => void): number;
  /** Counts records lost elsewhere (alerts that did not fit the memory outbox). */
  countDropped(records: number): void;
  /** After a complete drain: what the next fault counts from. */
  reset(): void;
}

const recordsOf = (round: Omit<RoundCommit, "alerts">): number => round.events.length + (round.restart === undefined ? 0 : 1);

/** A journal of at most `limit` records (events and restarts) and `limit` rounds. */
export function createJournal(limit: number): MemoryJournal {
  const entries: JournalEntry[] = [];
  // The newest round of each service: its state is written last even when its entry was dropped.
  const newest = new Map<string, Omit<RoundCommit, "alerts">>();
  let records = 0;
  let dropped = 0;
  const dropOldest = (): void => {
    const oldest = entries[0];
    if (oldest === undefined) return;
    const count = recordsOf(oldest.round);
    // A later round of the same service carries a newer state: the oldest goes whole.
    if (count === 0 || entries.length > limit) {
      entries.shift();
    } else if (oldest.round.events.length > 0) {
      oldest.round = { ...oldest.round, events: oldest.round.events.slice(1) };
    } else {
      const { restart: _restart, ...rest } = oldest.round;
      oldest.round = rest;
    }
    const lost = count - (entries[0] === oldest ? recordsOf(oldest.round) : 0);
    records -= lost;
    dropped += lost;
  };
  return {
    add: (service, round) => {
      const { alerts: _alerts, ...kept } = round;
      entries.push({ service, round: kept });
      newest.set(service, kept);
      records += recordsOf(kept);
      while (records > limit || entries.length > limit) dropOldest();
    },
    state: (service) => newest.get(service)?.state,
    isEmpty: () => entries.length === 0 && newest.size === 0,
    dropped: () => dropped,
    drain: (write) => {
      let written = 0;
      const last = new Map<string, Omit<RoundCommit, "alerts">>();
      for (let entry = entries[0]; entry !== undefined; entry = entries[0]) {
        write(entry);
        entries.shift();
        records -= recordsOf(entry.round);
        written += recordsOf(entry.round);
        last.set(entry.service, entry.round);
      }
      for (const [service, round] of newest) {
        if (last.get(service)?.state !== round.state) write({ service, round: { state: round.state, events: [], checkedAt: round.checkedAt } });
      }
      newest.clear();
      return written;
    },
    countDropped: (count) => void (dropped += count),
    reset: () => void (dropped = 0),
  };
}
