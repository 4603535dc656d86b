import type { ControlOutcome } from "../engine/control-service.js";

/** What the daemon is asked to do: stop (a signal), or reload its configuration (SIGHUP, a request). */
export type DaemonRequest =
  | { kind: "stop"; signal: NodeJS.Signals }
  /** `reply` hears how the reload went, when someone waits for it (`lifeguard reload`, HTTP). */
  | { kind: "reload"; by?: string; reply?: (outcome: ControlOutcome) => void };

/** The daemon's requests, one at a time, none lost while it is busy with the previous one. */
export interface RequestSource {
  next(): Promise<DaemonRequest>;
}

/** The requests of `source` (the signals) and those pushed from inside (a reload over HTTP or from the CLI's queue), in order. */
export interface Inbox extends RequestSource {
  push(request: DaemonRequest): void;
}

export function createInbox(source: RequestSource): Inbox {
  const pushed: DaemonRequest[] = [];
  let wakeUp: (() => void) | null = null;
  // The source's pending promise is kept across calls: a request it resolves later is not lost.
  let fromSource: Promise<DaemonRequest> | null = null;
  return {
    push: (request) => {
      pushed.push(request);
      wakeUp?.();
    },
    next: async () => {
      for (;;) {
        const waiting = pushed.shift();
        if (waiting !== undefined) return waiting;
        fromSource ??= source.next();
        const source$ = fromSource;
        const winner = await Promise.race([source$.then((request) => ({ request })), new Promise<null>((resolve) => (wakeUp = () => resolve(null)))]);
        wakeUp = null;
        if (winner !== null) {
          fromSource = null;
          return winner.request;
        }
      }
    },
  };
}
