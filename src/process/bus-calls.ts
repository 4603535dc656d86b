// The bus client's plumbing: its calls' turns, and what their failures mean.
import type { BusFailure } from "./systemd-bus-types.js";
import { lazyDbus } from "./lazy-dbus.js";

/** systemd's name on the bus, and the prefix of its interfaces. */
export const SYSTEMD = "org.freedesktop.systemd1";

/** The bus is away (or was never reached): systemctl answers the call. */
export class BusDown extends Error {}
/** A call that found no free slot within its time. */
export class QueueTimeout extends Error {}

/** At most `size` calls under way; the rest wait in order, each bounded by its time and its signal. */
export class CallSlots {
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
export class Cancelled extends Error {}

/** `org.freedesktop.systemd1.Service` for `bot.service`: the interface holding the unit type's `Result`. */
export function typeInterface(unit: string): string {
  const suffix = unit.slice(unit.lastIndexOf(".") + 1);
  return `${SYSTEMD}.${suffix.charAt(0).toUpperCase()}${suffix.slice(1)}`;
}

export function classify(error: unknown, timeoutMs: number, goDown: (reason: string, forGood?: boolean) => void, { refusalIsOutage = true } = {}): BusFailure {
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

export function describeError(error: unknown): string {
  const dbus = lazyDbus();
  if (error instanceof dbus.DBusError && error.dbusName !== undefined) return `${error.dbusName}: ${error.message}`;
  if (error instanceof Error) return "code" in error && typeof error.code === "string" && !error.message.includes(error.code) ? `${error.message} (${error.code})` : error.message;
  return String(error);
}
