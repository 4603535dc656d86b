import { readlinkSync } from "node:fs";
import { findAddon, loadAddon } from "./native-addon.js";
import { compressZeros, TCP_STATES, type TcpSocket } from "./tcp-socket.js";

interface SockDiag {
  /** Records of RECORD bytes (native/sd-notify/sock_diag.c), or -errno. */
  tcpSockets(family: 4 | 6, states: number): Uint8Array | number;
  /** The one record of the connection with that address pair, or -errno (-ENOENT: none). Missing from an addon built before it. */
  tcpSocket?(family: 4 | 6, local: Uint8Array, localPort: number, remote: Uint8Array, remotePort: number): Uint8Array | number;
}

/** What names a dumped socket to the kernel's exact lookup: its family and raw addresses. */
interface SocketKey {
  family: 4 | 6;
  local: Uint8Array;
  remote: Uint8Array;
}

const RECORD = 56;
/** Every TCP state. */
const ALL_STATES = 0xfff;

let addon: SockDiag | null | undefined;
/** The key of each socket a dump returned, for `lookUpTcpSocket`. */
const keys = new WeakMap<TcpSocket, SocketKey>();
const ENOENT = 2;

/**
 * This network namespace's TCP sockets over netlink (NETLINK_SOCK_DIAG, as `ss` asks): a dump
 * reads the sockets there are, where /proc/net/tcp prints every bucket of the kernel's hash table
 * (on a server, 262144: several ms a read). Null when it cannot (the native addon is not built,
 * or the kernel refuses): the caller reads /proc then.
 */
export function dumpTcpSockets(): TcpSocket[] | null {
  addon ??= loadSockDiag();
  if (addon === null) return null;
  const sockets: TcpSocket[] = [];
  for (const family of [4, 6] as const) {
    const records = addon.tcpSockets(family, ALL_STATES);
    if (typeof records === "number") return null;
    for (let at = 0; at + RECORD <= records.byteLength; at += RECORD) sockets.push(readRecord(records.subarray(at, at + RECORD), family));
  }
  return sockets;
}

/**
 * The connection `socket` (from `dumpTcpSockets`) as the kernel has it now, looked up by its
 * address pair in the connection hash (some 30 µs, where a dump walks the whole table): "gone"
 * when no connection has that pair any more; null when it cannot be looked up (a socket read from
 * /proc, an addon without the lookup): then only a dump tells.
 */
export function lookUpTcpSocket(socket: TcpSocket): TcpSocket | "gone" | null {
  const key = keys.get(socket);
  if (key === undefined || typeof addon?.tcpSocket !== "function") return null;
  const record = addon.tcpSocket(key.family, key.local, socket.local.port, key.remote, socket.remote.port);
  if (record === -ENOENT) return "gone";
  return typeof record === "number" || record.byteLength < RECORD ? null : readRecord(record, key.family);
}

/** One RECORD-byte record of family `family`'s table. */
function readRecord(record: Uint8Array, family: 4 | 6): TcpSocket {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const state = record[0] as number;
  const bytes = (offset: number): Uint8Array => record.slice(offset, offset + (family === 4 ? 4 : 16));
  const key = { family, local: bytes(8), remote: bytes(24) };
  const socket: TcpSocket = {
    state: TCP_STATES[state] ?? `UNKNOWN(${state})`,
    timer: record[1] as number,
    retransmits: record[2] as number,
    local: { address: addressText(key.local), port: view.getUint16(4, true) },
    remote: { address: addressText(key.remote), port: view.getUint16(6, true) },
    rxQueue: view.getUint32(40, true),
    txQueue: view.getUint32(44, true),
    inode: view.getUint32(48, true),
  };
  keys.set(socket, key);
  return socket;
}

/** Whether process `pid` lives in Lifeguard's own network namespace (netlink then answers for it). */
export function sharesNetwork(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`) === readlinkSync("/proc/self/ns/net");
  } catch {
    return false;
  }
}

function loadSockDiag(): SockDiag | null {
  const found = loadAddon<Partial<SockDiag>>(findAddon());
  // An addon built before sock_diag.c has no tcpSockets: /proc answers.
  return "addon" in found && typeof found.addon.tcpSockets === "function" ? (found.addon as SockDiag) : null;
}

/** Network-order bytes as text: IPv4 dotted, IPv4-mapped IPv6 as IPv4, IPv6 with its longest zero run as `::`. */
function addressText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  const mapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return Array.from(bytes.subarray(12)).join(".");
  return compressZeros(Array.from({ length: 8 }, (_, i) => (((bytes[i * 2] as number) << 8) | (bytes[i * 2 + 1] as number)).toString(16)));
}
