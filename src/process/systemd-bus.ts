import type * as Dbus from "dbus-native";
import { BusDown, CallSlots, classify, describeError, SYSTEMD, typeInterface } from "./bus-calls.js";
import { JobEnds } from "./bus-jobs.js";
import { lazyDbus } from "./lazy-dbus.js";
import type { BusUnitProperties, BusVerb, BusWatch as Watch, SystemdBus, SystemdBusOptions, UnitWatch } from "./systemd-bus-types.js";

export { DEFAULT_SYSTEM_BUS_ADDRESS, systemBusAddress } from "./systemd-bus-types.js";
export type { BusAction, BusFailure, BusRead, BusUnitProperties, BusVerb, SystemdBus, SystemdBusOptions, UnitWatch } from "./systemd-bus-types.js";

const MANAGER_PATH = "/org/freedesktop/systemd1";
const PROPERTIES = "org.freedesktop.DBus.Properties";

/** Errors that say the object or its interface is not there, not that the bus failed. */
const ABSENT = new Set(["org.freedesktop.DBus.Error.UnknownProperty", "org.freedesktop.DBus.Error.UnknownInterface"]);
/** Subscribe's answer to a client that subscribed before. */
const ALREADY_SUBSCRIBED = "org.freedesktop.systemd1.AlreadySubscribed";
/** Errors that say the path is stale (the unit was unloaded): look it up again. */
const STALE = new Set(["org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownMethod"]);

/** Reconnecting after an outage: the first try at once, then at most every 30 s. */
const RECONNECT = { minDelay: 100, maxDelay: 30_000, factor: 2 } as const;
/**
 * How many calls may await their reply at once on the connection; the others wait their turn.
 * dbus-daemon refuses a connection more than 128 pending replies (its system bus's default
 * `max_replies_per_connection`): 200 units' first rounds, three calls each, would pass it.
 */
const MAX_PENDING_CALLS = 32;
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

  /** ListUnitsByNames answers one small struct where GetAll of the Unit answers some 100 properties (most of an idle read's cost); its states agree. */
  const read = async (unit: string, timeoutMs: number, signal: AbortSignal): Promise<BusUnitProperties> => {
    const listed = call({ path: MANAGER_PATH, interface: `${SYSTEMD}.Manager`, member: "ListUnitsByNames", signature: "as", body: [[unit]] }, timeoutMs, signal)
      .then((rows): unknown[] => (Array.isArray(rows) && Array.isArray(rows[0]) ? (rows[0] as unknown[]) : []));
    let path = paths.get(unit);
    if (path === undefined) {
      const found = (await listed)[6];
      if (typeof found !== "string") throw new Error("ListUnitsByNames gave no object path");
      paths.set(unit, (path = found));
    }
    // Sent together: one round trip's wait. A row is (name, description, load, active, sub state, ...).
    const [row, mainPid, result] = await Promise.all([
      listed,
      typeProperty(path, `${SYSTEMD}.Service`, "MainPID", 0, timeoutMs, signal),
      typeProperty(path, typeInterface(unit), "Result", "", timeoutMs, signal),
    ]);
    return { ActiveState: row[3], SubState: row[4], LoadState: row[2], MainPID: mainPid, Result: result };
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
  const jobs = new JobEnds();
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
    open.signals.on(open.mangle(MANAGER_PATH, `${SYSTEMD}.Manager`, "JobRemoved"), (body: unknown) => jobs.heard(body));
  };
  /** How job `path` ended, or null when it had not within `timeoutMs`; an outage or `signal` ends the wait. */
  const jobEnd = async (path: string, timeoutMs: number, signal: AbortSignal): Promise<string | null> => {
    const gone = new AbortController();
    inflight.add(gone);
    try {
      return await jobs.wait(path, timeoutMs, signal, gone.signal, () => new BusDown(down ?? "the bus went away"));
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
      jobs.begin();
      try {
        return { job: await act(unit, verb, timeoutMs, signal) };
      } catch (error) {
        // systemd's or polkit's refusal of this action says nothing of the bus: only a lost connection is an outage.
        return { failure: classify(error, timeoutMs, goDown, { refusalIsOutage: false }) };
      } finally {
        jobs.end();
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
    async unitProperty(unit, name, timeoutMs, signal) {
      try {
        return { value: await typeProperty(await unitPath(unit, timeoutMs, signal), typeInterface(unit), name, "", timeoutMs, signal) };
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
