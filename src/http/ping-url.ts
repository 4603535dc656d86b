import { isIPv6 } from "node:net";
import type { ListenAddress } from "./listen-address.js";
import { derivePingKey } from "./token.js";

/** Addresses a server listens on but no client can send to: a client reaches them through loopback. */
const WILDCARDS: Record<string, string> = { "0.0.0.0": "127.0.0.1", "::": "::1" };

/**
 * The URL a service pings to say it is alive, `http://HOST:PORT/ping/KEY/NAME` (healthchecks.io's
 * `/ping/<ping-key>/<slug>`): what a supervised service finds in `LIFEGUARD_PING_URL`. Append
 * `/start`, `/fail` or `/<exit-code>` for the other signals. A wildcard listen address becomes
 * loopback; an IPv6 host gets brackets.
 */
export function formatPingUrl(address: ListenAddress, key: string, service: string): string {
  const host = WILDCARDS[address.host] ?? address.host;
  const authority = isIPv6(host) ? `[${host}]:${address.port}` : `${host}:${address.port}`;
  return `http://${authority}/ping/${encodeURIComponent(key)}/${encodeURIComponent(service)}`;
}

/** The ping URL of `service` on the server at `address`, keyed by its own ping key (derived from `token`, which it never holds). */
export function servicePingUrl(address: ListenAddress, token: string, service: string): string {
  return formatPingUrl(address, derivePingKey(token, service), service);
}
