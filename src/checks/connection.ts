import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { ConnectionCheckConfig } from "../config/types.js";
import { formatDuration, formatSize } from "../core/duration.js";
import { stuckQueue, type QueueSample } from "../core/stuck-queue.js";
import { followSockets } from "../process/followed-sockets.js";
import type { TcpSocket } from "../process/proc-net-tcp.js";
import { readSocketInodes } from "../process/socket-inodes.js";
import type { Finding, ProbeFactory } from "./probe.js";
import { listServiceProcesses } from "./service-processes.js";

/** The kernel's timer while the peer's receive window is shut (`/proc/net/tcp`'s `tr` 4). */
const ZERO_WINDOW_PROBE = 4;
/** Samples kept per connection: enough for a window of a few rounds, bounded whatever the interval. */
const MAX_SAMPLES = 256;

/**
 * `connection`: the service's own sockets (by the inodes of its processes' descriptors) include an
 * ESTABLISHED one to `to`, read in the network namespace of its main process. With `stuckForMs`,
 * each round's queue sizes are kept per connection (by inode: a reconnect starts afresh) and a
 * queue that stayed non-empty and never shrank over that window fails the check.
 */
export const createConnectionProbe: ProbeFactory<ConnectionCheckConfig> = (config, deps) => {
  const target = `${config.to.host.includes(":") ? `[${config.to.host}]` : config.to.host}:${config.to.port}`;
  const history = new Map<number, QueueSample[]>();
  const follow = followSockets();
  return async (signal) => {
    const listed = await listServiceProcesses(deps.runner, deps.serviceName, "connections", signal);
    if ("ok" in listed) return { ...listed, evidence: { ...listed.evidence, to: target } };
    if (listed.main === null || listed.processes.length === 0) return { ok: false, summary: `No connection to ${target}: "${deps.serviceName}" has no process`, evidence: { to: target, processes: 0 } };
    const addresses = await addressesOf(config.to.host);
    const inodes = new Set<number>();
    for (const { pid } of listed.processes) for (const inode of readSocketInodes(pid)?.inodes ?? []) inodes.add(inode);
    // The service's own sockets are read now; its connections, from a table a moment old or looked up one by one.
    const look = follow(listed.main.pid, inodes, (socket) => socket.remote.port === config.to.port && addresses.has(socket.remote.address));
    const toTarget = look.sockets;
    const established = toTarget.filter((socket) => socket.state === "ESTABLISHED");
    const evidence = { to: target, addresses: [...addresses], connections: toTarget.map(describeSocket), processes: listed.processes.length };
    if (established.length === 0) {
      history.clear();
      const other = toTarget.length === 0 ? "none open" : `only ${toTarget.map((socket) => socket.state).join(", ")}`;
      return { ok: false, summary: `No ESTABLISHED connection from "${deps.serviceName}" to ${target} (${other})`, evidence };
    }
    if (config.stuckForMs === null) return { ok: true, summary: `Connected to ${target}${queues(established)}`, evidence };
    return judgeQueues(established, history, look.at, config.stuckForMs, target, evidence);
  };
};

/** Keeps this round's queue sizes and fails on a connection whose queue did not move for `stuckForMs`; a connection that is gone is forgotten. */
function judgeQueues(established: TcpSocket[], history: Map<number, QueueSample[]>, now: number, stuckForMs: number, target: string, evidence: Record<string, unknown>): Finding {
  const open = new Set(established.map((socket) => socket.inode));
  for (const inode of history.keys()) if (!open.has(inode)) history.delete(inode);
  for (const socket of established) {
    const samples = history.get(socket.inode) ?? [];
    samples.push({ at: now, txQueue: socket.txQueue, rxQueue: socket.rxQueue, peerTakesNothing: socket.timer === ZERO_WINDOW_PROBE || socket.retransmits > 0 });
    if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
    history.set(socket.inode, samples);
  }
  // Healthy while any connection to the target moves: a pool of connections may have an idle one.
  const stuck = established.map((socket) => ({ socket, stuck: stuckQueue(history.get(socket.inode) ?? [], now, stuckForMs) }));
  if (stuck.some((entry) => entry.stuck === null)) return { ok: true, summary: `Connected to ${target}${queues(established)}`, evidence };
  const [first] = stuck;
  const { socket, stuck: found } = first as { socket: TcpSocket; stuck: NonNullable<ReturnType<typeof stuckQueue>> };
  const samples = (history.get(socket.inode) ?? []).filter((sample) => sample.at >= found.since);
  const what = found.queue === "send" ? "unsent: the peer has acknowledged nothing" : "unread: the service has read nothing";
  return {
    ok: false,
    summary: `Connection to ${target} stuck for ${formatDuration(now - found.since)}: ${formatSize(found.bytes)} ${what} since (stuck-for ${formatDuration(stuckForMs)})`,
    evidence: { ...evidence, stuck: { queue: found.queue, bytes: found.bytes, forMs: now - found.since, samples: samples.map((sample) => (found.queue === "send" ? sample.txQueue : sample.rxQueue)) } },
  };
}

/** The addresses `host` stands for, as the kernel's tables print them; an IP literal is itself. */
async function addressesOf(host: string): Promise<Set<string>> {
  if (isIP(host) !== 0) return new Set([host === "::ffff:127.0.0.1" ? "127.0.0.1" : host]);
  try {
    return new Set((await lookup(host, { all: true })).map((entry) => entry.address));
  } catch {
    return new Set();
  }
}

function describeSocket(socket: TcpSocket): Record<string, unknown> {
  return { local: `${socket.local.address}:${socket.local.port}`, state: socket.state, txQueue: socket.txQueue, rxQueue: socket.rxQueue, zeroWindow: socket.timer === ZERO_WINDOW_PROBE, retransmits: socket.retransmits };
}

/** ` (2.1KiB unsent)` when a connection has bytes queued; nothing when all are empty. */
function queues(sockets: TcpSocket[]): string {
  const tx = sockets.reduce((sum, socket) => sum + socket.txQueue, 0);
  const rx = sockets.reduce((sum, socket) => sum + socket.rxQueue, 0);
  const parts = [tx > 0 ? `${formatSize(tx)} unsent` : null, rx > 0 ? `${formatSize(rx)} unread` : null].filter((part) => part !== null);
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`;
}
