import { isLoopback } from "./listen-address.js";

/** What a connection is doing, as far as making room goes. */
interface Slot {
  address: string;
  /**
   * When it began to owe a request (a sequence number, not a time): at connect, and again each
   * time an answer is done (kept alive, idle). Null while its request is being answered.
   */
  waitingSince: number | null;
}

/** What became of a new connection. */
export type Admission<Connection> =
  | { kind: "admitted" }
  /** Admitted in place of `evicted`, the connection that waited longest for a request. */
  | { kind: "evicted"; evicted: Connection }
  /** No room: every connection in its scope is being answered. */
  | { kind: "refused" };

export interface ConnectionSlotsOptions {
  maxConnections: number;
  /** Bound for one client address; loopback addresses are exempt (on loopback every client has the same one). */
  maxConnectionsPerAddress: number;
}

/**
 * The server's connections and which one goes when a new one finds the slots full. Refusing
 * the newcomer would let 64 slow clients make Lifeguard deaf; instead the connection that has
 * waited longest without sending a whole request goes (a slowloris, a client that sends
 * nothing, an idle kept-alive one): it has had the most time, and a real client (curl, a
 * bot's ping, Prometheus) sends its request at once. A connection whose request is being
 * answered never goes; when all are, the newcomer is refused. Keys are sockets, kept opaque.
 */
export function createConnectionSlots<Connection>(options: ConnectionSlotsOptions) {
  const slots = new Map<Connection, Slot>();
  let sequence = 0;

  /** The connection in `scope` that has waited longest, or null when every one is being answered. */
  const longestWaiting = (scope: (slot: Slot) => boolean): Connection | null => {
    let found: Connection | null = null;
    let since = Infinity;
    for (const [connection, slot] of slots) {
      if (slot.waitingSince !== null && slot.waitingSince < since && scope(slot)) [found, since] = [connection, slot.waitingSince];
    }
    return found;
  };
  const countOf = (address: string): number => [...slots.values()].filter((slot) => slot.address === address).length;

  const makeRoom = (address: string): Admission<Connection> => {
    const limited = !isLoopbackClient(address) && countOf(address) >= options.maxConnectionsPerAddress;
    if (!limited && slots.size < options.maxConnections) return { kind: "admitted" };
    const victim = longestWaiting(limited ? (slot) => slot.address === address : () => true);
    if (victim === null) return { kind: "refused" };
    slots.delete(victim);
    return { kind: "evicted", evicted: victim };
  };

  return {
    /** Takes `connection` in, making room first when needed; the caller closes what is evicted or refused. */
    admit(connection: Connection, address: string): Admission<Connection> {
      const admission = makeRoom(address);
      if (admission.kind !== "refused") slots.set(connection, { address, waitingSince: sequence++ });
      return admission;
    },
    /** Its request is whole and being answered: it is not to be evicted. */
    answering(connection: Connection): void {
      const slot = slots.get(connection);
      if (slot) slot.waitingSince = null;
    },
    /** Its answer is done; kept alive, it waits for the next request. */
    waiting(connection: Connection): void {
      const slot = slots.get(connection);
      if (slot) slot.waitingSince = sequence++;
    },
    release(connection: Connection): void {
      slots.delete(connection);
    },
    get size(): number {
      return slots.size;
    },
  };
}

export type ConnectionSlots<Connection> = ReturnType<typeof createConnectionSlots<Connection>>;

/** A client address on this machine, IPv4-mapped IPv6 included (`::ffff:127.0.0.1`). */
function isLoopbackClient(address: string): boolean {
  return isLoopback(address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address);
}
