import { readlinkSync } from "node:fs";
import { findAddon, loadAddon } from "./native-addon.js";
import { compressZeros, TCP_STATES, type TcpSocket } from "./tcp-socket.js";

interface SockDiag {
  /** Records of RECORD bytes (native/sd-notify/sock_diag.c), or -errno. */
  tcpSockets(family: 4 | 6, states: number): Uint8Array | number;
}

const RECORD = 56;
/** Every TCP state. */
const ALL_STATES = 0xfff;

let addon: SockDiag | null | undefined;

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
    const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
    for (let at = 0; at + RECORD <= records.byteLength; at += RECORD) {
      const state = records[at] as number;
      const address = (offset: number): string => addressText(records.subarray(at + offset, at + offset + (family === 4 ? 4 : 16)));
      sockets.push({
        state: TCP_STATES[state] ?? `UNKNOWN(${state})`,
        timer: records[at + 1] as number,
        retransmits: records[at + 2] as number,
        local: { address: address(8), port: view.getUint16(at + 4, true) },
        remote: { address: address(24), port: view.getUint16(at + 6, true) },
        rxQueue: view.getUint32(at + 40, true),
        txQueue: view.getUint32(at + 44, true),
        inode: view.getUint32(at + 48, true),
      });
    }
  }
  return sockets;
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
