/**
 * Who watches a service, as the store records it: a daemon (`lifeguard run`) that beats every
 * `DAEMON_BEAT_MS` while its loops make progress, or the one-shot `lifeguard check` (cron, a
 * timer) at each run. `status` shows a state as current only while someone watches: a status
 * shown while nothing watches is a lie.
 */

/** How often a daemon records that its loops make progress. */
export const DAEMON_BEAT_MS = 30_000;
/** A daemon that has not beaten for this long has stopped making rounds (a hang, a frozen loop). */
export const DAEMON_STALE_MS = 3 * DAEMON_BEAT_MS;
/** With one recorded `check` run only (no cadence known yet), it watches for this long after it. */
export const CHECK_FIRST_WINDOW_MS = 5 * 60_000;
/** Slack on a `check` cadence: cron starts a minute late at times, a run may take a while. */
const CHECK_SLACK_MS = 60_000;

/** One service's watcher as recorded. Times are wall-clock ms. */
export interface WatchRecord {
  service: string;
  mode: "daemon" | "check";
  pid: number;
  /** The process's start time in clock ticks after boot (`/proc/PID/stat`): a pid reused later is not it. */
  startTime: number | null;
  bootId: string | null;
  host: string;
  /** When this watcher began (the daemon's start; a `check`'s run). */
  since: number;
  /** Its last beat: the daemon's last progress report, a `check`'s run. */
  beatAt: number;
  /** A `check`'s run before the last: their gap is the cadence it is expected again at. */
  previousBeatAt: number | null;
  /** A daemon that stopped cleanly: when, and why (`SIGTERM`). */
  stoppedAt: number | null;
  stopReason: string | null;
  /** The daemon's HTTP surface, where it serves one. */
  url: string | null;
}

/** What the reader found out about the recorded process (I/O the core does not do). */
export interface WatcherFacts {
  /** Its pid still runs with its recorded start time, on this boot. */
  alive: boolean;
  /** The service is a command Lifeguard runs itself: only `lifeguard run` can watch it, not `check`. */
  supervised?: boolean;
}

/** Whether a service is watched now, judged from its record. */
export type Watch =
  | { kind: "watched"; by: WatchRecord }
  /** A daemon that lives but has stopped beating: its loops are stuck. */
  | { kind: "stalled"; by: WatchRecord; since: number }
  /** Nobody watches: since when (null: never), and the last watcher, if any. */
  | { kind: "unwatched"; since: number | null; last: WatchRecord | null; why: string };

/** Judges a service's watch at `now`. Pure. */
export function judgeWatch(record: WatchRecord | null, facts: WatcherFacts, now: number): Watch {
  if (record === null) {
    const who = facts.supervised === true ? "`lifeguard run` starts and watches its command" : "`lifeguard run`, or `lifeguard check` from cron, watches it";
    return { kind: "unwatched", since: null, last: null, why: `no Lifeguard has watched it yet (${who})` };
  }
  if (record.mode === "check") return judgeCheck(record, now);
  if (record.stoppedAt !== null) {
    return { kind: "unwatched", since: record.stoppedAt, last: record, why: `Lifeguard (PID ${record.pid}) stopped${record.stopReason === null ? "" : ` on ${record.stopReason}`}` };
  }
  if (!facts.alive) return { kind: "unwatched", since: record.beatAt, last: record, why: `Lifeguard (PID ${record.pid}) is gone without stopping (killed, or the machine restarted)` };
  if (now - record.beatAt > DAEMON_STALE_MS) return { kind: "stalled", by: record, since: record.beatAt };
  return { kind: "watched", by: record };
}

/** A `check` watches until it is overdue: twice its cadence and a minute after its last run. */
function judgeCheck(record: WatchRecord, now: number): Watch {
  const window = record.previousBeatAt === null ? CHECK_FIRST_WINDOW_MS : 2 * Math.max(0, record.beatAt - record.previousBeatAt) + CHECK_SLACK_MS;
  if (now - record.beatAt <= window) return { kind: "watched", by: record };
  return { kind: "unwatched", since: record.beatAt, last: record, why: "`lifeguard check` has not run since (is its cron job or timer still there?)" };
}

/** Where watchers are recorded (the store). A failing write is the caller's to absorb: watching never depends on the disk. */
export interface WatchLedger {
  /** Every service's watcher as recorded. */
  watchers(): WatchRecord[];
  /** Claims the services for a daemon, unless another live daemon (per `isLive`) holds one: that one is returned, nothing written. */
  claimWatch(records: readonly WatchRecord[], isLive: (record: WatchRecord) => boolean): WatchRecord | null;
  /** Records a one-shot `check` run as a service's watcher, unless a live daemon watches it. */
  recordCheckRun(record: WatchRecord, isLive: (record: WatchRecord) => boolean): void;
  /** The daemon (pid, since) made progress at `at`. */
  beatWatch(pid: number, since: number, at: number): void;
  /** The daemon (pid, since) stopped at `at` on `reason`. */
  endWatch(pid: number, since: number, at: number, reason: string): void;
}
