import { isIPv6 } from "node:net";

/** Where the HTTP server listens, as the config normalises it (src/config/listen-address.ts parses it). */
export interface ListenAddress {
  /** An IPv4 address, an IPv6 address (without brackets) or a host name. */
  host: string;
  /** 0 lets the system pick a free port (tests). */
  port: number;
}

/** `host:port`, with IPv6 hosts in brackets, as the config writes it. */
export function formatListenAddress(address: ListenAddress): string {
  return isIPv6(address.host) ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** True when only this machine can reach the address. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
