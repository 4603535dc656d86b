import { createRequire } from "node:module";
import type * as Dbus from "dbus-native";

// As lazy-re2.ts: resolved from the bundle (`__filename`) or the sources, at the first bus opened,
// so a daemon without a systemd service, and `check`, never load dbus-native and xml2js.
const requireHere = createRequire(typeof __filename === "string" ? __filename : import.meta.url);
let loaded: typeof Dbus | undefined;
const lazyDbus = (): typeof Dbus => (loaded ??= requireHere("dbus-native") as typeof Dbus);

/** Where the system bus listens unless `$DBUS_SYSTEM_BUS_ADDRESS` says otherwise. */
export const DEFAULT_SYSTEM_BUS_ADDRESS = "unix:path=/run/dbus/system_bus_socket";

const SYSTEMD = "org.freedesktop.systemd1";
const MANAGER_PATH = "/org/freedesktop/systemd1";
const PROPERTIES = "org.freedesktop.DBus.Properties";
/** Errors that say the object or its interface is not there, not that the bus failed. */
const ABSENT = new Set(["org.freedesktop.DBus.Error.UnknownProperty", "org.freedesktop.DBus.Error.UnknownInterface"]);
/** Errors that say the path is stale (the unit was unloaded): look it up again. */
const STALE = new Set(["org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownMethod"]);

/** The five properties of a unit as the bus gave them; the runner checks their types. */
export interface BusUnitProperties {
  ActiveState: unknown;
  SubState: unknown;
  LoadState: unknown;
  MainPID: unknown;
  Result: unknown;
}

/** Why a read through the bus gave no answer. `down`: the bus is gone for good, ask systemctl. */
export interface BusFailure {
  kind: "timeout" | "aborted" | "down" | "error";
  /** The end of a sentence: `the connection closed (ECONNREFUSED)`, `org.freedesktop.DBus.Error.AccessDenied: ...`. */
  message: string;
}

export type BusRead = { properties: BusUnitProperties } | { failure: BusFailure };

/** One connection to the system bus, shared by every systemd runner of a daemon. */
export interface SystemdBus {
  /** The five properties of `unit`, each call bounded by `timeoutMs` and `signal`. */
  unitState(unit: string, timeoutMs: number, signal: AbortSignal): Promise<BusRead>;
  /**
   * Calls `listener` each time systemd says the unit's state changed (its `Unit` properties:
   * ActiveState, SubState...), from the moment this resolves; resolves to the unsubscriber.
   * Rejects when the bus cannot set it up (down, or no answer within `timeoutMs`).
   */
  watchUnit(unit: string, listener: () => void, timeoutMs: number): Promise<() => void>;
  /** Why the bus is gone (it never comes back), or null while it answers. */
  readonly down: string | null;
  close(): Promise<void>;
}

export interface SystemdBusOptions {
  /** Called once, when the bus goes down (never during the open), with the one line the log gets. */
  onDown?: (line: string) => void;
}

/** The bus address Lifeguard uses: `$DBUS_SYSTEM_BUS_ADDRESS` or systemd's default socket. */
export const systemBusAddress = (env: NodeJS.ProcessEnv = process.env): string => env.DBUS_SYSTEM_BUS_ADDRESS || DEFAULT_SYSTEM_BUS_ADDRESS;

/** Opens a client of systemd's manager; never throws: a bus that cannot be reached is `down`. */
export function openSystemdBus(address: string, options: SystemdBusOptions = {}): SystemdBus {
  let down: string | null = null;
  const goDown = (reason: string): void => {
    if (down !== null) return;
    down = reason;
    const line = `Cannot read unit states over the system bus "${address}" as ${reason}; systemctl show answers instead from now on`;
    // Never from inside openSystemdBus: its caller may not hold its logger yet.
    queueMicrotask(() => options.onDown?.(line));
  };
  let bus: Dbus.MessageBus | null = null;
  const dbus = lazyDbus();
  try {
    bus = dbus.createClient({ busAddress: address, plainValues: true });
    // dbus-native never listens for a connection error itself: unheard, it would end the process.
    bus.connection.on("error", (error: Error) => goDown(describeError(error)));
    bus.connection.on("close", (cause?: Error) => goDown(cause === undefined ? "the connection closed" : describeError(cause)));
  } catch (error) {
    goDown(describeError(error));
  }
  const paths = new Map<string, string>();

  const call = async (message: Dbus.Message, timeoutMs: number, signal: AbortSignal): Promise<unknown> => {
    if (bus === null || down !== null) throw new BusDown(down ?? "the bus is not open");
    return bus.invoke({ destination: SYSTEMD, ...message }, { timeout: timeoutMs, signal });
  };
  const unitPath = async (unit: string, timeoutMs: number, signal: AbortSignal): Promise<string> => {
    const known = paths.get(unit);
    if (known !== undefined) return known;
    const path = await call({ path: MANAGER_PATH, interface: `${SYSTEMD}.Manager`, member: "LoadUnit", signature: "s", body: [unit] }, timeoutMs, signal);
    if (typeof path !== "string") throw new Error("LoadUnit gave no object path");
    paths.set(unit, path);
    return path;
  };
  /** One property of the unit's type interface; absent (a unit of another type) reads as `fallback`. */
  const typeProperty = (path: string, iface: string, name: string, fallback: unknown, timeoutMs: number, signal: AbortSignal): Promise<unknown> =>
    call({ path, interface: PROPERTIES, member: "Get", signature: "ss", body: [iface, name] }, timeoutMs, signal).catch((error: unknown) => {
      if (error instanceof dbus.DBusError && error.dbusName !== undefined && ABSENT.has(error.dbusName)) return fallback;
      throw error;
    });

  const read = async (unit: string, timeoutMs: number, signal: AbortSignal): Promise<BusUnitProperties> => {
    const path = await unitPath(unit, timeoutMs, signal);
    // Sent together: one round trip's wait. The Unit's three states come from one GetAll, so they agree.
    const [states, mainPid, result] = await Promise.all([
      call({ path, interface: PROPERTIES, member: "GetAll", signature: "s", body: [`${SYSTEMD}.Unit`] }, timeoutMs, signal),
      typeProperty(path, `${SYSTEMD}.Service`, "MainPID", 0, timeoutMs, signal),
      typeProperty(path, typeInterface(unit), "Result", "", timeoutMs, signal),
    ]);
    const unitProps = (states ?? {}) as Record<string, unknown>;
    return { ActiveState: unitProps.ActiveState, SubState: unitProps.SubState, LoadState: unitProps.LoadState, MainPID: mainPid, Result: result };
  };

  // systemd sends its units' PropertiesChanged only to clients that subscribed: once per connection.
  let subscribed: Promise<unknown> | null = null;
  const watchUnit = async (unit: string, listener: () => void, timeoutMs: number): Promise<() => void> => {
    const signal = AbortSignal.timeout(timeoutMs);
    if (bus === null || down !== null) throw new BusDown(down ?? "the bus is not open");
    const open = bus;
    subscribed ??= call({ path: MANAGER_PATH, interface: `${SYSTEMD}.Manager`, member: "Subscribe" }, timeoutMs, signal).catch((error: unknown) => {
      subscribed = null;
      throw error;
    });
    await subscribed;
    const path = await unitPath(unit, timeoutMs, signal);
    const rule = `type='signal',sender='${SYSTEMD}',path='${path}',interface='${PROPERTIES}',member='PropertiesChanged'`;
    await open.addMatch(rule);
    const key = open.mangle(path, PROPERTIES, "PropertiesChanged");
    const onChange = (body: unknown): void => {
      if (Array.isArray(body) && body[0] === `${SYSTEMD}.Unit`) listener();
    };
    open.signals.on(key, onChange);
    return () => {
      open.signals.off(key, onChange);
      if (down === null) open.removeMatch(rule).catch(() => undefined);
    };
  };

  return {
    watchUnit,
    get down() {
      return down;
    },
    async unitState(unit, timeoutMs, signal) {
      try {
        return { properties: await read(unit, timeoutMs, signal) };
      } catch (error) {
        if (error instanceof dbus.DBusError && error.dbusName !== undefined && STALE.has(error.dbusName)) paths.delete(unit);
        return { failure: classify(error, timeoutMs, goDown) };
      }
    },
    async close() {
      // Closed on purpose: nothing to announce.
      down ??= "it was closed";
      await bus?.close();
    },
  };
}

class BusDown extends Error {}

/** `org.freedesktop.systemd1.Service` for `bot.service`: the interface holding the unit type's `Result`. */
function typeInterface(unit: string): string {
  const suffix = unit.slice(unit.lastIndexOf(".") + 1);
  return `${SYSTEMD}.${suffix.charAt(0).toUpperCase()}${suffix.slice(1)}`;
}

function classify(error: unknown, timeoutMs: number, goDown: (reason: string) => void): BusFailure {
  const dbus = lazyDbus();
  if (error instanceof BusDown) return { kind: "down", message: error.message };
  if (error instanceof dbus.TimeoutError) return { kind: "timeout", message: `no answer within ${timeoutMs}ms` };
  if (error instanceof dbus.AbortError) return { kind: "aborted", message: "the call was cancelled" };
  const message = describeError(error);
  // A closed connection, or a bus that refuses us (its policy), will not answer the next round either.
  if (error instanceof dbus.ConnectionClosedError || (error instanceof dbus.DBusError && error.dbusName === "org.freedesktop.DBus.Error.AccessDenied")) {
    goDown(message);
    return { kind: "down", message };
  }
  return { kind: "error", message };
}

function describeError(error: unknown): string {
  const dbus = lazyDbus();
  if (error instanceof dbus.DBusError && error.dbusName !== undefined) return `${error.dbusName}: ${error.message}`;
  if (error instanceof Error) return "code" in error && typeof error.code === "string" && !error.message.includes(error.code) ? `${error.message} (${error.code})` : error.message;
  return String(error);
}
