import { getSystemErrorName } from "node:util";
import { findAddon, loadAddon } from "./native-addon.js";

export { findAddon } from "./native-addon.js";

/** Why one datagram was not sent: an errno name (`ENOENT`) or a module-loading code, and a reason in words. */
export interface DatagramError {
  code: string;
  reason: string;
}

/**
 * Sends one AF_UNIX datagram from this process to `address` (a path, or `@name` in Linux's
 * abstract namespace). Returns null once sent. Never throws and never blocks.
 */
export type SendDatagram = (address: string, bytes: Uint8Array) => DatagramError | null;

interface Addon {
  sendDatagram(address: string, bytes: Uint8Array): number;
}

const REASONS: Record<string, string> = {
  ENOENT: "the socket does not exist",
  ECONNREFUSED: "nothing listens on the socket",
  EAGAIN: "the socket's queue is full: its reader is not reading",
  EACCES: "permission to write to the socket is denied",
  EPERM: "permission to write to the socket is denied",
  ENAMETOOLONG: "the address is too long for an AF_UNIX socket",
  EAFNOSUPPORT: "the address is neither a path nor an @abstract name",
  EPROTOTYPE: "the socket is not a datagram socket",
  EINVAL: "the address is empty or holds a NUL byte",
};

let loaded: { send: SendDatagram } | undefined;

/** The addon's sender, loaded on first use; when the addon cannot be loaded, every send reports why. */
export const sendDatagram: SendDatagram = (address, bytes) => (loaded ??= { send: loadSendDatagram(findAddon()) }).send(address, bytes);

/** The sender of the addon at `path` (null: not built); one that reports the failure when it cannot be loaded. */
export function loadSendDatagram(path: string | null): SendDatagram {
  const found = nativeSendDatagram(path);
  return "send" in found ? found.send : failing(found);
}

/** The addon's sender, or why there is none: not built (no compiler on the box), or not loadable. */
export function nativeSendDatagram(path: string | null = findAddon()): { send: SendDatagram } | DatagramError {
  // Node has no AF_UNIX SOCK_DGRAM socket (dgram is UDP only, net is stream only): the addon sends it.
  const found = loadAddon<Addon>(path);
  if (!("addon" in found)) return found;
  const { addon } = found;
  return { send: (address, bytes) => {
    try {
      const errno = addon.sendDatagram(address, bytes);
      return errno === 0 ? null : errorOf(errno);
    } catch (error) {
      return { code: "ERR_INVALID_ARG_TYPE", reason: (error as Error).message };
    }
  } };
}

function errorOf(errno: number): DatagramError {
  let code: string;
  try {
    code = getSystemErrorName(-errno);
  } catch {
    code = `errno ${errno}`;
  }
  if (code === "EWOULDBLOCK") code = "EAGAIN";
  return { code, reason: REASONS[code] ?? code };
}

function failing(error: DatagramError): SendDatagram {
  return () => error;
}
