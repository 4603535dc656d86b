import { connect } from "node:net";

/**
 * Opens one TCP connection to `host:port` and closes it at once. Resolves null once it opened,
 * or node's error (its `code` names the reason: ECONNREFUSED, ENOTFOUND...); when `signal`
 * aborts first, the attempt is given up (the socket destroyed) and the signal's reason returned.
 */
export function connectOnce(host: string, port: number, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (outcome: unknown): void => {
      signal.removeEventListener("abort", aborted);
      socket.destroy();
      resolve(outcome);
    };
    const aborted = (): void => finish(signal.reason);
    socket.once("connect", () => finish(null));
    socket.once("error", finish);
    signal.addEventListener("abort", aborted, { once: true });
  });
}
