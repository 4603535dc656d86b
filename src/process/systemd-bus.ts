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
/** Subscribe's answer to a client that subscribed before. */
const ALREADY_SUBSCRIBED = "org.freedesktop.systemd1.AlreadySubscribed";
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

/** Reconnecting after an outage: the first try at once, then at most every 30 s. */
const RECONNECT = { minDelay: 100, maxDelay: 30_000, factor: 2 } as const;
/**
 * How many calls may await their reply at once on the connection; the others wait their turn.
 * dbus-daemon refuses a connection more than 128 pending replies (its system bus's default
 * `max_replies_per_connection`): 200 units' first rounds, three calls each, would pass it.
 */
const MAX_PENDING_CALLS = 32;
/** How many ends of other clients' jobs are kept while an action waits for its own. */
const MAX_JOB_ENDS = 64;
/** KillUnit's signal: the runner's kill is SIGKILL to every process of the unit's cgroup. */
const SIGKILL = 9;
/** The bound on setting up a unit's watch. */
const WATCH_TIMEOUT_MS = 10_000;

/**
 * Opens a client of systemd's manager; never throws. Calls made while it first connects wait for
 * it; while an outage lasts (the socket is not there, the bus restarted) `down` says why, calls
 * under way end at once and the runners ask systemctl. The client reconnects by itself, subscribes
 * again and follows the same units. A bus that refuses Lifeguard (its policy) is down for good.
 */
export function openSystemdBus(address: string, options: SystemdBusOptions = {}): SystemdBus {
  let closed = false;
  /** Why the bus does not answer now; null while it does (or, at first, while it connects: calls wait for it). */
  let down: string | null = null;
  /** Calls under way: a bus that goes away ends them at once, and systemctl answers them. */
  const inflight = new Set<AbortController>();
  /** A refusal: no reconnect can change it. */
  let refused: string | null = null;
  /** An outage said in the log, and not yet its end. */
  let saidDown = false;
  const goDown = (reason: string, forGood = false): void => {
    if (closed) return;
    if (forGood) refused ??= reason;
    down = refused ?? reason;
    subscribedHere = false;
    for (const pending of inflight) pending.abort();
    if (saidDown) return;
    saidDown = true;
    const line = `Cannot reach systemd over the system bus "${address}" as ${down}; systemctl answers ${refused === null ? "until it is back" : "instead from now on"}`;
    // Never from inside openSystemdBus: its caller may not hold its logger yet.
    queueMicrotask(() => options.onDown?.(line));
  };
  let bus: Dbus.MessageBus | null = null;
  /** Whether systemd was asked to send changes on the connection that is up. */
  let subscribedHere = false;
  const dbus = lazyDbus();
  const watches = new Set<Watch>();
  const becameConnected = (): void => {
    if (closed || refused !== null) return;
    down = null;
    subscribed = null;
    subscribedHere = false;
    jobsHeard = null;
    if (saidDown) {
      saidDown = false;
      options.onBack?.(`The system bus "${address}" answers again: units are read and controlled over it again, and their changes heard`);
    }
    for (const watch of watches) {
      void establish(watch);
      // What changed while the bus was away was not heard: each follower looks again.
      watch.listener();
    }
  };
  try {
    bus = dbus.createClient({ busAddress: address, plainValues: true, reconnect: RECONNECT });
    // dbus-native never listens for a connection error itself: unheard, it would end the process.
    bus.connection.on("error", (error: Error) => goDown(describeError(error)));
    bus.connection.on("close", (cause?: Error) => goDown(cause === undefined ? "the connection closed" : describeError(cause)));
    // A first connection that fails is retried, not reported as an error: said once here.
    bus.connection.on("reconnecting", (retry: { cause?: Error }) => goDown(retry.cause === undefined ? "it cannot be reached" : describeError(retry.cause)));
    bus.connection.on("connect", becameConnected);
    // After a reconnect the bus has put back its match rules: then systemd is asked to send changes again.
    bus.on("reconnected", becameConnected);
  } catch (error) {
    goDown(describeError(error), true);
  }
  const paths = new Map<string, string>();

  const slots = new CallSlots(MAX_PENDING_CALLS);
  const call = async (message: Dbus.Message, timeoutMs: number, signal: AbortSignal): Promise<unknown> => {
    if (bus === null || down !== null) throw new BusDown(down ?? "the bus is not open");
    const started = performance.now();
    await slots.take(timeoutMs, signal);
    const gone = new AbortController();
    inflight.add(gone);
    try {
      // Down while it waited for its turn: systemctl answers it.
      if (bus === null || down !== null) throw new BusDown(down ?? "the bus went away");
      const left = Math.max(1, timeoutMs - (performance.now() - started));
      return await bus.invoke({ destination: SYSTEMD, ...message }, { timeout: left, signal: AbortSignal.any([signal, gone.signal]) });
    } catch (error) {
      if (gone.signal.aborted) throw new BusDown(down ?? "the bus went away");
      throw error;
    } finally {
      inflight.delete(gone);
      slots.release();
    }
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

  // systemd sends its units' PropertiesChanged and its jobs' JobRemoved only to clients that subscribed: once per connection.
  let subscribed: Promise<unknown> | null = null;
  const subscribe = (timeoutMs: number, signal: AbortSignal): Promise<unknown> => {
    if (subscribed !== null) return subscribed;
    const asked = (subscribed = call({ path: MANAGER_PATH, interface: `${SYSTEMD}.Manager`, member: "Subscribe" }, timeoutMs, signal).then(
      () => undefined,
      (error: unknown) => {
        // A Subscribe sent while the first connection was being made counts for it: what was asked is so.
        if (error instanceof dbus.DBusError && error.dbusName === ALREADY_SUBSCRIBED) return;
        if (subscribed === asked) subscribed = null;
        throw error;
      },
    ).then(() => {
      // Answered on the connection that is up (one that went away meanwhile ends its calls first): systemd now tells of every change.
      if (down === null) subscribedHere = true;
    }));
    return asked;
  };
  /** Makes `watch` hear its unit on this connection: Subscribe, its match rule (kept across reconnects by the bus) and its listener, each once. */
  const establish = (watch: Watch): Promise<void> => (watch.pending ??= setUp(watch).finally(() => (watch.pending = null)));
  const setUp = async (watch: Watch): Promise<void> => {
    const open = bus;
    if (open === null || down !== null || !watches.has(watch)) return;
    const signal = AbortSignal.timeout(WATCH_TIMEOUT_MS);
    try {
      await subscribe(WATCH_TIMEOUT_MS, signal);
      if (watch.rule !== null) return;
      const path = await unitPath(watch.unit, WATCH_TIMEOUT_MS, signal);
      const rule = `type='signal',sender='${SYSTEMD}',path='${path}',interface='${PROPERTIES}',member='PropertiesChanged'`;
      await open.addMatch(rule);
      if (!watches.has(watch)) return void open.removeMatch(rule).catch(() => undefined);
      watch.rule = rule;
      watch.key = open.mangle(path, PROPERTIES, "PropertiesChanged");
      open.signals.on(watch.key, watch.onChange);
    } catch (error) {
      const failure = classify(error, WATCH_TIMEOUT_MS, goDown);
      // An outage is said once by goDown, and the watch is set up again when the bus is back.
      if (failure.kind !== "down") options.onWatchProblem?.(watch.unit, `Cannot follow "${watch.unit}" as it changes over the system bus as ${failure.message}: a crash is seen at its next round`);
    }
  };
  /** The ends of jobs heard (JobRemoved: job path → result) while an action waits or is about to: its job may end before its reply is read. */
  const jobEnds = new Map<string, string>();
  const jobWaiters = new Map<string, (result: string) => void>();
  let acting = 0;
  const onJobRemoved = (body: unknown): void => {
    if (!Array.isArray(body) || typeof body[1] !== "string" || typeof body[3] !== "string") return;
    const waiter = jobWaiters.get(body[1]);
    if (waiter !== undefined) return waiter(body[3]);
    if (acting === 0) return;
    jobEnds.set(body[1], body[3]);
    // Other clients' jobs end meanwhile too: only the latest are worth keeping.
    if (jobEnds.size > MAX_JOB_ENDS) jobEnds.delete(jobEnds.keys().next().value as string);
  };
  let jobsHeard: Promise<unknown> | null = null;
  let jobListener = false;
  /** Subscribe (once per connection) and the JobRemoved match (once: the bus puts its rules back after a reconnect). */
  const hearJobs = (timeoutMs: number, signal: AbortSignal): Promise<unknown> => {
    const open = bus;
    if (open === null) return Promise.reject(new BusDown(down ?? "the bus is not open"));
    return (jobsHeard ??= Promise.all([subscribe(timeoutMs, signal), jobListener ? null : addJobMatch(open)]).catch((error: unknown) => {
      jobsHeard = null;
      throw error;
    }));
  };
  const addJobMatch = async (open: Dbus.MessageBus): Promise<void> => {
    await open.addMatch(`type='signal',sender='${SYSTEMD}',path='${MANAGER_PATH}',interface='${SYSTEMD}.Manager',member='JobRemoved'`);
    if (jobListener) return;
    jobListener = true;
    open.signals.on(open.mangle(MANAGER_PATH, `${SYSTEMD}.Manager`, "JobRemoved"), onJobRemoved);
  };
  /** How job `path` ended, or null when it had not within `timeoutMs`; an outage or `signal` ends the wait. */
  const jobEnd = async (path: string, timeoutMs: number, signal: AbortSignal): Promise<string | null> => {
    const heard = jobEnds.get(path);
    if (heard !== undefined) {
      jobEnds.delete(path);
      return heard;
    }
    const gone = new AbortController();
    inflight.add(gone);
    try {
      return await new Promise<string | null>((resolve, reject) => {
        const timer = setTimeout(() => settle(() => resolve(null)), timeoutMs);
        const onAbort = (): void => settle(() => reject(gone.signal.aborted ? new BusDown(down ?? "the bus went away") : new Cancelled()));
        const settle = (then: () => void): void => {
          clearTimeout(timer);
          jobWaiters.delete(path);
          signal.removeEventListener("abort", onAbort);
          gone.signal.removeEventListener("abort", onAbort);
          then();
        };
        jobWaiters.set(path, (result) => settle(() => resolve(result)));
        signal.addEventListener("abort", onAbort);
        gone.signal.addEventListener("abort", onAbort);
        if (signal.aborted) onAbort();
      });
    } finally {
      inflight.delete(gone);
    }
  };
  const manager = (member: string, signature: string, body: unknown[], timeoutMs: number, signal: AbortSignal): Promise<unknown> =>
    call({ path: MANAGER_PATH, interface: `${SYSTEMD}.Manager`, member, signature, body }, timeoutMs, signal);
  const act = async (unit: string, verb: BusVerb, timeoutMs: number, signal: AbortSignal): Promise<string | null> => {
    const deadline = performance.now() + timeoutMs;
    const left = (): number => Math.max(1, deadline - performance.now());
    // Carried out before systemd answers: no job to wait for.
    if (verb === "kill" || verb === "reset-failed") {
      await (verb === "kill" ? manager("KillUnit", "ssi", [unit, "all", SIGKILL], timeoutMs, signal) : manager("ResetFailedUnit", "s", [unit], timeoutMs, signal));
      return "done";
    }
    await hearJobs(timeoutMs, signal);
    const method = verb === "start" ? "StartUnit" : "StopUnit";
    const job = await manager(method, "ss", [unit, "replace"], left(), signal);
    if (typeof job !== "string") throw new Error(`${method} gave no job path`);
    return jobEnd(job, left(), signal);
  };

  const watchUnit = (unit: string, listener: () => void): UnitWatch => {
    const watch: Watch = { unit, rule: null, key: null, pending: null, listener, onChange: listener };
    watches.add(watch);
    return {
      ready: establish(watch),
      get live() {
        return subscribedHere && down === null && watch.rule !== null && watches.has(watch);
      },
      stop: () => {
        watches.delete(watch);
        if (watch.key !== null) bus?.signals.off(watch.key, watch.onChange);
        if (watch.rule !== null && down === null) bus?.removeMatch(watch.rule).catch(() => undefined);
      },
    };
  };

  return {
    watchUnit,
    get down() {
      return down;
    },
    async act(unit, verb, timeoutMs, signal) {
      acting += 1;
      try {
        return { job: await act(unit, verb, timeoutMs, signal) };
      } catch (error) {
        // systemd's or polkit's refusal of this action says nothing of the bus: only a lost connection is an outage.
        return { failure: classify(error, timeoutMs, goDown, { refusalIsOutage: false }) };
      } finally {
        acting -= 1;
        if (acting === 0) jobEnds.clear();
      }
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
      // Closed on purpose: nothing to announce, nothing to reconnect.
      closed = true;
      down ??= "it was closed";
      // end() also cancels a reconnect that waits (its timer would keep the process alive).
      bus?.connection.end();
      await bus?.close();
    },
  };
}

/** A unit followed: its match rule and signal key once set up on the bus. */
interface Watch {
  unit: string;
  rule: string | null;
  key: string | null;
  /** Its set-up under way: one at a time. */
  pending: Promise<void> | null;
  listener(): void;
  /** What the bus calls with each PropertiesChanged of the unit's object, whichever its interface. */
  onChange(): void;
}

class BusDown extends Error {}
/** A call that found no free slot within its time. */
class QueueTimeout extends Error {}

/** At most `size` calls under way; the rest wait in order, each bounded by its time and its signal. */
class CallSlots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  take(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.#free > 0 && this.#waiting.length === 0) {
      this.#free -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const end = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", aborted);
        const at = this.#waiting.indexOf(granted);
        if (at >= 0) this.#waiting.splice(at, 1);
      };
      const granted = (): void => {
        end();
        resolve();
      };
      const aborted = (): void => {
        end();
        reject(new Cancelled());
      };
      const timer = setTimeout(() => {
        end();
        reject(new QueueTimeout());
      }, timeoutMs);
      this.#waiting.push(granted);
      signal.addEventListener("abort", aborted);
      if (signal.aborted) aborted();
    });
  }

  release(): void {
    const next = this.#waiting[0];
    if (next === undefined) this.#free += 1;
    else next();
  }
}
/** A wait for a job ended by the caller's signal. */
class Cancelled extends Error {}

/** `org.freedesktop.systemd1.Service` for `bot.service`: the interface holding the unit type's `Result`. */
function typeInterface(unit: string): string {
  const suffix = unit.slice(unit.lastIndexOf(".") + 1);
  return `${SYSTEMD}.${suffix.charAt(0).toUpperCase()}${suffix.slice(1)}`;
}

function classify(error: unknown, timeoutMs: number, goDown: (reason: string, forGood?: boolean) => void, { refusalIsOutage = true } = {}): BusFailure {
  const dbus = lazyDbus();
  if (error instanceof BusDown) return { kind: "down", message: error.message };
  if (error instanceof Cancelled) return { kind: "aborted", message: "the call was cancelled" };
  if (error instanceof QueueTimeout) return { kind: "timeout", message: `no turn on the bus within ${timeoutMs}ms` };
  // Too many calls awaiting replies on this connection (the bus's limit): systemctl answers this one.
  if (error instanceof dbus.DBusError && error.dbusName === "org.freedesktop.DBus.Error.LimitsExceeded") return { kind: "busy", message: describeError(error) };
  if (error instanceof dbus.TimeoutError) return { kind: "timeout", message: `no answer within ${timeoutMs}ms` };
  if (error instanceof dbus.AbortError) return { kind: "aborted", message: "the call was cancelled" };
  const message = describeError(error);
  // A closed connection answers no more until it is back; a bus that refuses us (its policy) never will.
  if (error instanceof dbus.ConnectionClosedError) {
    goDown(message);
    return { kind: "down", message };
  }
  if (refusalIsOutage && error instanceof dbus.DBusError && error.dbusName === "org.freedesktop.DBus.Error.AccessDenied") {
    goDown(message, true);
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
