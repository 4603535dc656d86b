import { createServer } from "node:net";
import { LifeguardError } from "../core/errors.js";
import { formatListenAddress, type ListenAddress } from "./listen-address.js";

const LISTEN_REASONS: Record<string, string> = {
  EADDRINUSE: "the address is in use: another program listens there",
  EACCES: "permission is denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
  EADDRNOTAVAIL: "no network interface of this machine has that address",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved now",
};

/** How many ports after a busy one are tried for a free one to suggest. */
const PORTS_TRIED = 20;

/** How the user sets the address: the config key (`http.listen: "127.0.0.1:9474"`) or quick mode's flag (`--listen 127.0.0.1:9474`). */
export type ListenSetting = (address: string) => string;

export const CONFIG_LISTEN: ListenSetting = (address) => `http.listen: "${address}"`;

/**
 * Why Lifeguard cannot listen on `address`, with a fix that works as printed: the setting the user
 * changes, with an address that is free now (the next free port on the same host, found by trying
 * them; else port 0, any free one) when the address was in use.
 */
export async function describeListenError(error: NodeJS.ErrnoException, address: ListenAddress, setting: ListenSetting): Promise<LifeguardError> {
  const code = error.code ?? "ERR_UNKNOWN";
  const reason = LISTEN_REASONS[code] ?? error.message;
  const free = code === "EADDRINUSE" ? await findFreePort(address) : null;
  const hint = free === null
    ? `Give this Lifeguard another address: ${setting(formatListenAddress({ host: address.host, port: 0 }))} (port 0: any free one)`
    : `Give this Lifeguard another address, e.g. ${setting(formatListenAddress({ host: address.host, port: free }))} (free now), or port 0 for any free one`;
  return new LifeguardError(`Cannot listen on "${formatListenAddress(address)}" as ${reason} (${code})`, { hint, cause: error });
}

async function findFreePort(address: ListenAddress): Promise<number | null> {
  for (let port = address.port + 1; port <= Math.min(65_535, address.port + PORTS_TRIED); port += 1) {
    if (await canListen(address.host, port)) return port;
  }
  return null;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
