import { test } from "node:test";
import assert from "node:assert/strict";
import { parseProcNetTcp, readTcpSockets } from "./proc-net-tcp.js";
import { readSocketInodes } from "./socket-inodes.js";
import { dumpTcpSockets } from "./sock-diag.js";
import { readFileSync } from "node:fs";
import { connectTo, startLoopbackServer } from "../testing/loopback-server.js";
import { waitFor } from "../testing/wait-for.js";

const linux = process.platform !== "linux" ? "needs /proc/net/tcp (Linux)" : false;

test("parseProcNetTcp reads the kernel's lines: addresses, ports, state, both queues and the inode", () => {
  const text = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 0100007F:0FA2 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 2966631 1 0000 100 0 0 10 0",
    "   1: 0100007F:B2AB 0100007F:0FA2 01 00000864:00000000 01:00000014 00000000  1000        0 4242 1 0000 20 4 30 10 -1",
    "   2: garbage",
  ].join("\n");
  const sockets = parseProcNetTcp(text);
  // The test runs on a little-endian host (x86, ARM): the kernel printed its words byte-reversed.
  assert.deepEqual(sockets, [
    { local: { address: "127.0.0.1", port: 4002 }, remote: { address: "0.0.0.0", port: 0 }, state: "LISTEN", txQueue: 0, rxQueue: 3, inode: 2966631, timer: 0, retransmits: 0 },
    { local: { address: "127.0.0.1", port: 45739 }, remote: { address: "127.0.0.1", port: 4002 }, state: "ESTABLISHED", txQueue: 0x864, rxQueue: 0, inode: 4242, timer: 1, retransmits: 0 },
  ]);
});

test("parseProcNetTcp reads IPv6, with an IPv4-mapped address as IPv4 and zero runs shortened", () => {
  const text = [
    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1 0000 100 0 0 10 0",
    "   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 78 1 0000 20 4 30 10 -1",
    "   2: 000080FE00000000A3B2C1D0F4E3D2C1:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 79 1 0000 100 0 0 10 0",
  ].join("\n");
  assert.deepEqual(parseProcNetTcp(text).map((s) => [`${s.local.address}:${s.local.port}`, `${s.remote.address}:${s.remote.port}`]), [
    ["::1:8080", ":::0"],
    ["127.0.0.1:8080", "127.0.0.1:50000"],
    ["fe80::d0c1:b2a3:c1d2:e3f4:22", ":::0"],
  ]);
});

test("a connection to a loopback server that never reads: this process's socket is found by its inode, ESTABLISHED, with bytes unsent", { skip: linux }, async (t) => {
  // Accepts, then never reads: what a hung broker gateway does.
  const server = await startLoopbackServer((socket) => socket.pause());
  const { port } = server;
  const client = await connectTo(port);
  t.after(async () => {
    client.destroy();
    await server.close();
  });
  // More than the server's receive buffer and this socket's send buffer take: the rest stays queued here.
  const chunk = Buffer.alloc(1 << 20, 120);
  for (let i = 0; i < 16; i += 1) client.write(chunk);

  const mine = (): ReturnType<typeof readTcpSockets>[number] | undefined => {
    const held = readSocketInodes(process.pid);
    return readTcpSockets(process.pid).find((s) => held?.inodes.has(s.inode) === true && s.remote.port === port && s.remote.address === "127.0.0.1");
  };
  assert.ok(await waitFor(() => (mine()?.txQueue ?? 0) > 0, { timeoutMs: 10_000, intervalMs: 20 }), "the send queue filled");
  // The server's window is shut: the kernel probes it (timer 4) instead of sending.
  assert.ok(await waitFor(() => mine()?.timer === 4, { timeoutMs: 10_000, intervalMs: 20 }), `zero-window probes: ${JSON.stringify(mine())}`);
  const socket = mine();
  assert.equal(socket?.state, "ESTABLISHED");
  assert.equal(socket?.local.address, "127.0.0.1");
  // The server's side holds what it never read.
  const serverSide = readTcpSockets().find((s) => s.local.port === port && s.remote.port === socket?.local.port);
  assert.ok((serverSide?.rxQueue ?? 0) > 0, "the unread bytes wait on the server's side");
});

test("readSocketInodes is null for a process that is not there, and counts this process's descriptors", { skip: linux }, () => {
  assert.equal(readSocketInodes(2 ** 22 + 12345), null);
  const own = readSocketInodes(process.pid);
  assert.ok(own !== null && own.fds > 2);
});

test("netlink's dump and /proc/net/tcp list the same connections of this namespace, queues and inodes alike", { skip: linux }, async (t) => {
  const dumped = dumpTcpSockets();
  if (dumped === null) return t.skip("the native addon is not built: only /proc is read");
  const server = await startLoopbackServer((socket) => socket.pause());
  const { port } = server;
  const client = await connectTo(port);
  t.after(async () => {
    client.destroy();
    await server.close();
  });
  client.write(Buffer.alloc(8 << 20, 120));
  const key = (s: { inode: number; local: { address: string; port: number }; remote: { address: string; port: number }; state: string }): string => `${s.inode} ${s.local.address}:${s.local.port} ${s.remote.address}:${s.remote.port} ${s.state}`;
  const held = readSocketInodes(process.pid)?.inodes ?? new Set<number>();
  const mine = (sockets: ReturnType<typeof readTcpSockets>) => sockets.filter((s) => held.has(s.inode)).map(key).sort();
  const fromProc = ["tcp", "tcp6"].flatMap((file) => parseProcNetTcp(readFileSync(`/proc/self/net/${file}`, "utf8")));
  assert.deepEqual(mine(dumpTcpSockets() ?? []), mine(fromProc));
  assert.ok(mine(fromProc).some((line) => line.includes(`127.0.0.1:${port} ESTABLISHED`)), "the client's connection is among them");
});
