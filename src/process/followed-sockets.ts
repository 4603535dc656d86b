import { recentTcpSockets, type TcpSocket } from "./proc-net-tcp.js";
import { lookUpTcpSocket } from "./sock-diag.js";

/** How old the shared socket table may be: one read a second for every service's check. */
const SHARED_TABLE_MS = 1000;
/** How long connections are followed by lookups alone before the table is read again all the same. */
const FULL_LOOK_MS = 30_000;

/** The sockets a look found, when it looked (performance.now()), and how. */
export interface SocketLook {
  at: number;
  sockets: TcpSocket[];
  read: "table" | "lookup";
}

/**
 * Follows the TCP connections of one service that `wanted` picks among its sockets (`inodes`,
 * from its processes' descriptors), for a check that looks every round. The first look, and the
 * looks after the service's socket inodes changed (a connection opened or closed), read the
 * network namespace's whole table (shared for a second by every check: a dump walks the kernel's
 * whole connection hash, milliseconds on a server) until a table read after the change; from
 * then on, each connection found is looked up alone by its address pair, a hash lookup. A
 * connection gone, a lookup the kernel or the addon cannot do, or FULL_LOOK_MS since the last
 * table (a socket that existed unconnected and connected since keeps its inode) read the table
 * again.
 */
export function followSockets(): (pid: number, inodes: ReadonlySet<number>, wanted: (socket: TcpSocket) => boolean) => SocketLook {
  let last: { sockets: TcpSocket[]; at: number } | null = null;
  let seen: { inodes: ReadonlySet<number>; since: number } | null = null;
  return (pid, inodes, wanted) => {
    const now = performance.now();
    if (seen === null || !sameMembers(seen.inodes, inodes)) seen = { inodes, since: now };
    // Only a table read since the service's sockets were last seen to change accounts for each of them.
    if (last !== null && last.sockets.length > 0 && last.at >= seen.since && now - last.at < FULL_LOOK_MS) {
      const looked = last.sockets.map((socket) => lookUpTcpSocket(socket));
      const found = looked.filter((socket): socket is TcpSocket => typeof socket === "object" && socket !== null);
      if (found.length === looked.length && found.every((socket, i) => socket.inode === last?.sockets[i]?.inode)) return { at: now, sockets: found.filter(wanted), read: "lookup" };
    }
    const table = recentTcpSockets(pid, SHARED_TABLE_MS);
    const sockets = table.sockets.filter((socket) => inodes.has(socket.inode) && wanted(socket));
    last = { sockets, at: table.at };
    return { at: table.at, sockets, read: "table" };
  };
}

function sameMembers(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const member of a) if (!b.has(member)) return false;
  return true;
}
