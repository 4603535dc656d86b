import type { Logger } from "../core/logger.js";
import type { Store } from "../store/index.js";

/** At most one write of the watches per this: a flood of connections costs the store one small write a second. */
const WRITE_EVERY_MS = 1_000;
/** At most one log line per this about connections shed. */
const LOG_EVERY_MS = 60_000;

export interface LostPings {
  /** The server shed a connection now (evicted or refused it): a ping may have been lost. */
  shed(): void;
  /** Writes what is still pending at once; nothing is written after. */
  stop(): void;
}

/** A service whose heartbeat takes pings, with its `max-age`. */
export interface PingedService {
  name: string;
  maxAgeMs: number;
}

/**
 * A ping the server could not receive is lost, not missed by the service. While the HTTP
 * server sheds connections (more clients than its slots), each shed starts the watch of a
 * heartbeat by ping over, as a start of Lifeguard does, so that it is judged again a full
 * max-age after the shedding stopped; but only for a service that was alive: its last real ping
 * a success or start within its max-age. A flood (anyone on the machine can open connections to
 * loopback) thus buys a service whose pings stopped at most one more max-age, never silence.
 * The watches are written at most once a second, the last shed of a burst always; the log
 * hears of the shedding at most once a minute.
 */
export function excuseLostPings(
  services: readonly PingedService[], deps: { store: Pick<Store, "watchHeartbeat" | "readHeartbeat">; logger: Logger; now: () => number; maxConnections: number },
): LostPings {
  const { store, logger, now } = deps;
  let lastShedAt: number | null = null;
  let lastWriteAt = -Infinity;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let lastLogAt = -Infinity;
  let unlogged = 0;
  let stopped = false;

  const write = (): void => {
    pending = undefined;
    if (lastShedAt === null) return;
    lastWriteAt = now();
    try {
      for (const service of services) if (wasAlive(service, lastShedAt)) store.watchHeartbeat(service.name, lastShedAt);
    } catch (error) {
      logger.write({ at: now(), tag: "ERROR", message: `Cannot start the heartbeat watches over after connections were shed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  const wasAlive = (service: PingedService, at: number): boolean => {
    const ping = store.readHeartbeat(service.name)?.lastPing ?? null;
    return ping !== null && (ping.signal.kind === "success" || ping.signal.kind === "start") && at - ping.at < service.maxAgeMs;
  };
  const log = (at: number): void => {
    unlogged += 1;
    if (at - lastLogAt < LOG_EVERY_MS) return;
    const what = `Shed ${unlogged} HTTP connection(s) to make room for new ones (at most ${deps.maxConnections} open)`;
    const pings = services.length === 0 ? "" : ": a ping lost meanwhile is not held against its service";
    logger.write({ at, tag: "WARN", message: `${what}${pings}` });
    [lastLogAt, unlogged] = [at, 0];
  };

  return {
    shed() {
      if (stopped) return;
      const at = now();
      log(at);
      if (services.length === 0) return;
      lastShedAt = at;
      if (pending !== undefined) return;
      const wait = lastWriteAt + WRITE_EVERY_MS - at;
      if (wait <= 0) write();
      else pending = setTimeout(write, wait);
    },
    stop() {
      stopped = true;
      if (pending === undefined) return;
      clearTimeout(pending);
      write();
    },
  };
}
