// The system bus client's contract: what the systemd runner asks of it and what it answers.

/** Where the system bus listens unless `$DBUS_SYSTEM_BUS_ADDRESS` says otherwise. */
export const DEFAULT_SYSTEM_BUS_ADDRESS = "unix:path=/run/dbus/system_bus_socket";

/** The five properties of a unit as the bus gave them; the runner checks their types. */
export interface BusUnitProperties {
  ActiveState: unknown;
  SubState: unknown;
  LoadState: unknown;
  MainPID: unknown;
  Result: unknown;
}

/** Why a call through the bus gave no answer. `down`: the bus is away, ask systemctl; `busy`: the bus refused this call for its limits, ask systemctl this once. */
export interface BusFailure {
  kind: "timeout" | "aborted" | "down" | "busy" | "error";
  /** The end of a sentence: `the connection closed (ECONNREFUSED)`, `org.freedesktop.DBus.Error.AccessDenied: ...`. */
  message: string;
}

export type BusRead = { properties: BusUnitProperties } | { failure: BusFailure };

/** What the runner asks systemd's manager to do to a unit: the verbs polkit's `manage-units` rule names. */
export type BusVerb = "start" | "stop" | "kill" | "reset-failed";

/**
 * What an action through the bus gave. `job`: how the start or stop job ended (`done`, `failed`,
 * `canceled`...), or null when it had not ended within the call's bound; "done" for kill and
 * reset-failed, which systemd carries out before it answers.
 */
export type BusAction = { job: string | null } | { failure: BusFailure };

/** A unit followed over the bus. */
export interface UnitWatch {
  stop(): void;
  /** Settles once the first attempt to set it up is over (set up, refused, or waiting for the bus). */
  ready: Promise<void>;
  /**
   * Whether every change of the unit reaches the listener now: the bus answers, systemd was asked
   * to send changes on this connection, and the unit's match rule is in place. While it is, and no
   * change was heard, the unit is as last read.
   */
  readonly live: boolean;
}

/** One connection to the system bus, shared by every systemd runner of a daemon. */
export interface SystemdBus {
  /** The five properties of `unit`, each call bounded by `timeoutMs` and `signal`. */
  unitState(unit: string, timeoutMs: number, signal: AbortSignal): Promise<BusRead>;
  /**
   * Calls `listener` each time systemd says a property of the unit changed (ActiveState,
   * SubState, MainPID, ExecMainStatus, NRestarts...), and once each time the bus answers again
   * (changes may have been missed meanwhile); returns the unsubscriber. A refusal to set it up
   * goes to `onWatchProblem`.
   */
  watchUnit(unit: string, listener: () => void): UnitWatch;
  /**
   * Asks systemd's manager to act on `unit` as `systemctl VERB` would (the same methods, so the
   * same polkit actions): StartUnit/StopUnit in mode "replace", their job awaited through
   * JobRemoved within `timeoutMs`; KillUnit with SIGKILL to every process of its cgroup;
   * ResetFailedUnit. A refusal is that action's failure, never the bus's.
   */
  act(unit: string, verb: BusVerb, timeoutMs: number, signal: AbortSignal): Promise<BusAction>;
  /** One property of the unit's type interface (`ControlGroup` of org.freedesktop.systemd1.Service), `""` when it has none. */
  unitProperty(unit: string, name: string, timeoutMs: number, signal: AbortSignal): Promise<{ value: unknown } | { failure: BusFailure }>;
  /** Why the bus does not answer now (connecting, an outage, a refusal), or null while it does. */
  readonly down: string | null;
  close(): Promise<void>;
}

export interface SystemdBusOptions {
  /** Called once per outage with the line the log gets: the bus cannot be reached, or went away. */
  onDown?: (line: string) => void;
  /** Called when the bus answers again after an outage, with the line the log gets. */
  onBack?: (line: string) => void;
  /** Called when a unit's changes cannot be followed although the bus answers (a refusal), with the line the log gets. */
  onWatchProblem?: (unit: string, line: string) => void;
}

/** The bus address Lifeguard uses: `$DBUS_SYSTEM_BUS_ADDRESS` or systemd's default socket. */
export const systemBusAddress = (env: NodeJS.ProcessEnv = process.env): string => env.DBUS_SYSTEM_BUS_ADDRESS || DEFAULT_SYSTEM_BUS_ADDRESS;

/** A unit followed inside the bus client: its match rule and signal key once set up on the bus. */
export interface BusWatch {
  unit: string;
  rule: string | null;
  key: string | null;
  /** Its set-up under way: one at a time. */
  pending: Promise<void> | null;
  listener(): void;
  /** What the bus calls with each PropertiesChanged of the unit's object, whichever its interface. */
  onChange(): void;
}

