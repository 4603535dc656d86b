import { readFileSync, readlinkSync } from "node:fs";
import { endianness } from "node:os";
import { dumpTcpSockets, sharesNetwork } from "./sock-diag.js";
import { compressZeros, TCP_STATES, type TcpSocket } from "./tcp-socket.js";

export type { TcpSocket } from "./tcp-socket.js";

/**
 * Parses the text of `/proc/net/tcp` or `/proc/net/tcp6`; lines it cannot read are left out. An
 * IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`) reads as the IPv4 address, so one
 * `host:port` matches a connection whichever family the program opened it in.
 */
export function parseProcNetTcp(text: string): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [local, remote, state, queues, timers, retransmits, inode] = [fields[1], fields[2], fields[3], fields[4], fields[5], fields[6], fields[9]];
    if (local === undefined || remote === undefined || state === undefined || queues === undefined || timers === undefined || inode === undefined) continue;
    const [tx, rx] = queues.split(":");
    const parsed = { local: endpoint(local), remote: endpoint(remote), tx: hex(tx), rx: hex(rx), state: hex(state), timer: hex(timers.split(":")[0]), retransmits: hex(retransmits), inode: Number(inode) };
    if (parsed.local === null || parsed.remote === null || parsed.tx === null || parsed.rx === null || parsed.state === null || parsed.timer === null || parsed.retransmits === null || !Number.isSafeInteger(parsed.inode)) continue;
    sockets.push({
      local: parsed.local, remote: parsed.remote, state: TCP_STATES[parsed.state] ?? `UNKNOWN(${parsed.state})`,
      txQueue: parsed.tx, rxQueue: parsed.rx, inode: parsed.inode, timer: parsed.timer, retransmits: parsed.retransmits,
    });
  }
  return sockets;
}

/**
 * The TCP sockets of the network namespace `pid` lives in, or this process's when `pid` is null:
 * over netlink when that is Lifeguard's own and the native addon is built, else from
 * `/proc/PID/net/tcp` and `tcp6` (a unit with PrivateNetwork= has its own namespace). A file that
 * cannot be read (no IPv6, the process gone) adds nothing.
 */
export function readTcpSockets(pid: number | null = null): TcpSocket[] {
  // In Lifeguard's own namespace, netlink reads only the sockets there are (sock-diag.ts).
  const dumped = pid === null || sharesNetwork(pid) ? dumpTcpSockets() : null;
  if (dumped !== null) return dumped;
  const base = pid === null ? "/proc/self/net" : `/proc/${pid}/net`;
  return ["tcp", "tcp6"].flatMap((file) => {
    try {
      return parseProcNetTcp(readFileSync(`${base}/${file}`, "utf8"));
    } catch {
      return [];
    }
  });
}

/** The last table read per network namespace, by its `net:[N]` link. */
const recent = new Map<string, { at: number; sockets: TcpSocket[] }>();

/**
 * The TCP sockets of `pid`'s network namespace as read at most `maxAgeMs` ago, one read shared by
 * every check meanwhile (200 services' `connection` checks in the same second read it once: each
 * read walks the kernel's whole connection table), with the monotonic time it was read at.
 */
export function recentTcpSockets(pid: number, maxAgeMs: number): { at: number; sockets: TcpSocket[] } {
  let namespace: string;
  try {
    namespace = readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return { at: performance.now(), sockets: [] };
  }
  const now = performance.now();
  const known = recent.get(namespace);
  if (known !== undefined && now - known.at < maxAgeMs) return known;
  const read = { at: now, sockets: readTcpSockets(pid) };
  recent.set(namespace, read);
  return read;
}

function hex(text: string | undefined): number | null {
  if (text === undefined || !/^[0-9A-Fa-f]{1,16}$/.test(text)) return null;
  const value = Number.parseInt(text, 16);
  return Number.isSafeInteger(value) ? value : null;
}

/** `0100007F:0FA2` is 127.0.0.1:4002: the address is the kernel's 32-bit words, each in the host's byte order. */
function endpoint(text: string): { address: string; port: number } | null {
  const [address, port] = text.split(":");
  const portNumber = hex(port);
  if (address === undefined || portNumber === null || !/^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32})$/.test(address)) return null;
  const bytes = Buffer.from(address, "hex");
  // Each 4-byte word was printed as a number: on a little-endian host its bytes come out reversed.
  if (endianness() === "LE") for (let at = 0; at < bytes.length; at += 4) bytes.subarray(at, at + 4).reverse();
  return { address: bytes.length === 4 ? ipv4(bytes) : ipv6(bytes), port: portNumber };
}

const ipv4 = (bytes: Uint8Array): string => Array.from(bytes).join(".");

function ipv6(bytes: Buffer): string {
  const mapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return ipv4(bytes.subarray(12));
  return compressZeros(Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16)));
}
