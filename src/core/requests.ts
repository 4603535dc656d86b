/**
 * A human's request to a running daemon, queued in the store by the CLI (`lifeguard restart NAME`,
 * `reload`...) for the daemon that watches the service, which takes it, carries it out and
 * answers. File permissions decide who may ask, as for the store itself: no token is needed.
 */
export interface QueuedRequest {
  id: number;
  /** The daemon it is for (the watcher of its service, or of the configuration for a reload). */
  daemonPid: number;
  /** Null for a request about the whole daemon (reload). */
  service: string | null;
  action: string;
  /** The action's options (a pause's duration and reason). */
  options: Record<string, unknown>;
  by: string;
  requestedAt: number;
  status: "pending" | "running" | "done" | "failed";
  finishedAt: number | null;
  summary: string | null;
}

export type NewRequest = Pick<QueuedRequest, "daemonPid" | "service" | "action" | "options" | "by" | "requestedAt">;

/** Where requests wait (the store). */
export interface RequestQueue {
  /** Returns the request's id. */
  enqueueRequest(request: NewRequest): number;
  /** The pending requests for the daemon `daemonPid`, now marked running: each is taken once. */
  takeRequests(daemonPid: number): QueuedRequest[];
  finishRequest(id: number, ok: boolean, summary: string, at: number): void;
  readRequest(id: number): QueuedRequest | null;
  /** Withdraws a request nobody took yet; false when it was taken (or is gone). */
  cancelRequest(id: number): boolean;
  /** Forgets a request (answered, and read by whoever asked). */
  forgetRequest(id: number): void;
}
