import { LifeguardError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { DAEMON_BEAT_MS, type WatchLedger, type WatchRecord } from "../core/watch.js";
import { formatLocalTime } from "../process/local-time.js";
import { isRecordedProcessAlive } from "../process/proc-stat.js";
import { selfIdentity } from "../process/self-identity.js";

/** The daemon's record as the watcher of its services, beating while its loops progress. */
export interface Watching {
  /** Adds the daemon's HTTP address to its record. */
  announce(url: string): void;
  /** Ends the beats and marks the services no longer watched by this daemon (`SIGTERM`, `reload`). */
  end(reason: string): void;
}

/**
 * Claims `services` for this daemon in the store, so that `status` knows they are watched, and
 * beats every DAEMON_BEAT_MS while `isProgressing()` (the same condition as systemd's watchdog
 * ping): a daemon whose loops hang stops beating, and `status` says so. Throws (exit 70) when
 * another daemon that still runs watches one of them with the same store: two daemons would judge
 * and restart the same service.
 */
export function claimWatching(ledger: WatchLedger, services: readonly string[], deps: { since: number; now: () => number; logger: Logger; isProgressing: () => boolean; state: string }): Watching {
  const { since } = deps;
  const identity = { mode: "daemon" as const, ...selfIdentity(), since };
  const records = (url: string | null): WatchRecord[] =>
    services.map((service) => ({ service, ...identity, beatAt: deps.now(), previousBeatAt: null, stoppedAt: null, stopReason: null, url }));
  const held = ledger.claimWatch(records(null), isRecordedProcessAlive);
  if (held !== null) {
    throw new LifeguardError(`Cannot start as another Lifeguard (PID ${held.pid}, started ${formatLocalTime(held.since)}) watches "${held.service}" with the state directory "${deps.state}"`, {
      hint: "Stop that Lifeguard first, or give this configuration a state directory of its own (`state:`).",
    });
  }
  let failing = false;
  const guarded = (what: string, write: () => void): void => {
    try {
      write();
      failing = false;
    } catch (error) {
      // Reported once per streak: watching is a report, never a reason to stop protecting.
      if (!failing) deps.logger.write({ at: deps.now(), tag: "WARN", message: `Cannot ${what} in the store as ${error instanceof Error ? error.message : String(error)}; \`lifeguard status\` may show the services as not watched` });
      failing = true;
    }
  };
  const timer = setInterval(() => {
    if (deps.isProgressing()) guarded("record that Lifeguard is watching", () => ledger.beatWatch(identity.pid, since, deps.now()));
  }, DAEMON_BEAT_MS);
  return {
    announce: (url) => guarded("record Lifeguard's address", () => void ledger.claimWatch(records(url), isRecordedProcessAlive)),
    end: (reason) => {
      clearInterval(timer);
      guarded("record that Lifeguard stopped watching", () => ledger.endWatch(identity.pid, since, deps.now(), reason));
    },
  };
}
