import type { DaemonRequest, RequestSource } from "../daemon/run-daemon.js";

/**
 * Turns SIGTERM/SIGINT (stop) and SIGHUP (reload) into requests the daemon awaits one at a
 * time; none is lost while the daemon is busy with the previous one. `dispose()` removes the handlers.
 */
export function listenForSignals(): RequestSource & { dispose(): void } {
  const pending: DaemonRequest[] = [];
  let waiting: ((request: DaemonRequest) => void) | null = null;
  const push = (request: DaemonRequest) => {
    if (waiting === null) pending.push(request);
    else {
      const resolve = waiting;
      waiting = null;
      resolve(request);
    }
  };
  const onStop = (signal: NodeJS.Signals) => push({ kind: "stop", signal });
  const onReload = () => push({ kind: "reload" });
  process.on("SIGTERM", onStop);
  process.on("SIGINT", onStop);
  process.on("SIGHUP", onReload);
  return {
    next: () => {
      const request = pending.shift();
      return request === undefined ? new Promise((resolve) => void (waiting = resolve)) : Promise.resolve(request);
    },
    dispose: () => {
      process.off("SIGTERM", onStop);
      process.off("SIGINT", onStop);
      process.off("SIGHUP", onReload);
    },
  };
}
