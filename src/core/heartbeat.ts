/** What a ping tells about a service, as healthchecks.io's URLs do (`/ping/NAME[/start|/fail|/<code>]`). */
export type PingSignal = { kind: "success" } | { kind: "start" } | { kind: "fail" } | { kind: "exit"; exitCode: number };

/** The last ping of a service, as the store keeps it. */
export interface Ping {
  /** Wall time (ms) Lifeguard received it. */
  at: number;
  signal: PingSignal;
}

/** What a heartbeat check judges: the last ping, and since when Lifeguard has been taking pings. */
export interface Heartbeat {
  /**
   * Wall time (ms) Lifeguard began watching: the first look at the heartbeat, or the daemon's
   * last start (pings sent while no Lifeguard listened were lost, not missed). A heartbeat's age
   * counts from the later of this and the last ping.
   */
  watchedSince: number;
  lastPing: Ping | null;
}

/** What heartbeat checks need from the store (the port; `src/store` implements it with SQLite). */
export interface HeartbeatStore {
  /** The service's heartbeat; the first look at a service never watched before starts its watch at `now`. */
  lookUpHeartbeat(service: string, now: number): Heartbeat;
}

/** A `fail` ping, or an exit code other than 0: the service reports that it failed. */
export function isFailureSignal(signal: PingSignal): boolean {
  return signal.kind === "fail" || (signal.kind === "exit" && signal.exitCode !== 0);
}

/** `success`, `start`, `fail` or `exit code 3`, for messages. */
export function describeSignal(signal: PingSignal): string {
  return signal.kind === "exit" ? `exit code ${signal.exitCode}` : signal.kind;
}
