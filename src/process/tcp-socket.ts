// A TCP socket as the kernel lists it, whether read from /proc/net/tcp (proc-net-tcp.ts) or over netlink (sock-diag.ts).

/** The TCP states of the kernel's `/proc/net/tcp` `st` column (include/net/tcp_states.h). */
export const TCP_STATES = ["", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"] as const;

/** One TCP socket as the kernel lists it. */
export interface TcpSocket {
  local: { address: string; port: number };
  remote: { address: string; port: number };
  /** `ESTABLISHED`, `LISTEN`, `CLOSE_WAIT`...; `UNKNOWN(n)` for a state this list does not name. */
  state: string;
  /** Bytes sent and not yet acknowledged by the peer (for a listening socket: the accept backlog). */
  txQueue: number;
  /** Bytes received and not yet read by the process. */
  rxQueue: number;
  /** The socket's inode: the `socket:[N]` of a process's /proc/PID/fd links. */
  inode: number;
  /** The kernel's timer on it: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe (the peer's window is shut: it reads nothing). */
  timer: number;
  /** Retransmissions of unacknowledged data so far (`retrnsmt`): above 0, the peer or the path answers nothing. */
  retransmits: number;
}

/** RFC 5952: the longest run of two or more zero groups becomes `::`. */
export function compressZeros(groups: string[]): string {
  let best = { at: -1, length: 0 };
  for (let at = 0; at < groups.length; at += 1) {
    let length = 0;
    while (at + length < groups.length && groups[at + length] === "0") length += 1;
    if (length > best.length && length >= 2) best = { at, length };
  }
  if (best.at === -1) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.length).join(":")}`;
}
