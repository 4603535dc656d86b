import { test } from "node:test";
import assert from "node:assert/strict";
import { followSockets, type SocketLook } from "./followed-sockets.js";
import { dumpTcpSockets, lookUpTcpSocket } from "./sock-diag.js";
import { readSocketInodes } from "./socket-inodes.js";
import { connectTo, startLoopbackServer } from "../testing/loopback-server.js";
import { waitFor } from "../testing/wait-for.js";

const linux = process.platform !== "linux";

/** This process's socket inodes now. */
const ownInodes = (): Set<number> => readSocketInodes(process.pid)?.inodes ?? new Set();

test("lookUpTcpSocket finds a dumped connection by its address pair, with its queues now, and says gone once it closed", { skip: linux }, async (t) => {
  const dumped = dumpTcpSockets();
  if (dumped === null) return t.skip("the native addon is not built: only /proc is read");
  const server = await startLoopbackServer((socket) => socket.pause());
  t.after(() => server.close());
  const client = await connectTo(server.port);
  t.after(() => client.destroy());
  const mine = dumpTcpSockets()?.find((socket) => socket.local.port === client.localPort && socket.remote.port === server.port);
  assert.ok(mine, "the dump lists the connection");
  if (lookUpTcpSocket(mine) === null) return t.skip("this addon was built before the lookup");
  // A server that never reads: what is written piles up in the queues, and the lookup sees it grow.
  client.write(Buffer.alloc(4 * 2 ** 20));
  assert.ok(await waitFor(() => {
    const now = lookUpTcpSocket(mine);
    return typeof now === "object" && now !== null && now.txQueue > 0;
  }), "the unsent bytes seen by a lookup");
  const now = lookUpTcpSocket(mine);
  assert.ok(typeof now === "object" && now !== null);
  assert.equal(now.inode, mine.inode);
  assert.equal(now.state, "ESTABLISHED");
  assert.deepEqual([now.local, now.remote], [mine.local, mine.remote]);
  client.destroy();
  // Closed with bytes unsent, the kernel may still hold it a while (FIN_WAIT1, no longer the process's: inode 0).
  assert.ok(await waitFor(() => {
    const closed = lookUpTcpSocket(mine);
    return closed === "gone" || (closed !== null && (closed.state !== "ESTABLISHED" || closed.inode !== mine.inode));
  }), "the connection closed");
});

test("followSockets reads the table first, then looks each connection up while the service's sockets stay the same, and reads the table again when they change", { skip: linux }, async (t) => {
  if (dumpTcpSockets() === null) return t.skip("the native addon is not built: only /proc is read");
  const server = await startLoopbackServer((socket) => socket.pause());
  t.after(() => server.close());
  const first = await connectTo(server.port);
  t.after(() => first.destroy());
  const follow = followSockets();
  const toServer = (socket: { remote: { port: number } }): boolean => socket.remote.port === server.port;
  const ports = (look: SocketLook): number[] => look.sockets.map((socket) => socket.local.port).sort();
  // The table is shared for a second: one read before the connection opened does not list it, a later one does.
  const one = await lookUntil(() => follow(process.pid, ownInodes(), toServer), (look) => look.sockets.length === 1);
  assert.equal(one.read, "table");
  assert.deepEqual(ports(one), [first.localPort]);
  const again = follow(process.pid, ownInodes(), toServer);
  if (again.read === "table") return t.skip("this addon was built before the lookup");
  assert.deepEqual(ports(again), [first.localPort], "the same connection, looked up");
  // A second connection: a new inode among the service's sockets, so tables are read until one lists both.
  const second = await connectTo(server.port);
  t.after(() => second.destroy());
  const both = await lookUntil(() => follow(process.pid, ownInodes(), toServer), (look) => look.sockets.length === 2);
  assert.equal(both.read, "table");
  assert.deepEqual(ports(both), [first.localPort, second.localPort].sort());
  assert.equal(follow(process.pid, ownInodes(), toServer).read, "lookup");
  // The first one closes: its inode leaves the service, and a table says only the second is left.
  first.destroy();
  const after = await lookUntil(() => follow(process.pid, ownInodes(), toServer), (look) => look.sockets.length === 1);
  assert.equal(after.read, "table");
  assert.deepEqual(ports(after), [second.localPort]);
});

test("followSockets reads the table when a connection it looks up is gone though the inodes it was given stayed", { skip: linux }, async (t) => {
  if (dumpTcpSockets() === null) return t.skip("the native addon is not built: only /proc is read");
  const server = await startLoopbackServer((socket) => socket.pause());
  t.after(() => server.close());
  const client = await connectTo(server.port);
  const follow = followSockets();
  const toServer = (socket: { remote: { port: number } }): boolean => socket.remote.port === server.port;
  const inodes = ownInodes();
  await lookUntil(() => follow(process.pid, inodes, toServer), (look) => look.sockets.length === 1);
  if (follow(process.pid, inodes, toServer).read === "table") return t.skip("this addon was built before the lookup");
  // The caller's inodes are a moment old: the connection went meanwhile, and only a lookup can tell.
  client.destroy();
  // The table shared for a second may still list it; a fresh one does not.
  await lookUntil(() => follow(process.pid, inodes, toServer), (look) => look.read === "table" && look.sockets.every((socket) => socket.state !== "ESTABLISHED"));
});

/** Looks every 50 ms until a look passes `done` (10 s at most), and returns that look. */
async function lookUntil(look: () => SocketLook, done: (look: SocketLook) => boolean): Promise<SocketLook> {
  let last: SocketLook | null = null;
  const passed = await waitFor(() => done((last = look())), { intervalMs: 50 });
  const seen = last as SocketLook | null;
  assert.ok(passed && seen !== null, `no look passed: the last read the ${seen?.read} and found ${seen?.sockets.length}`);
  return seen;
}
