import type { Logger } from "../core/logger.js";
import type { QueuedRequest, RequestQueue } from "../core/requests.js";
import type { ControlOutcome, ControlRequest } from "../engine/control-service.js";
import type { Controller } from "./controller.js";

/** How often the daemon looks for what the CLI asked: a read of one index, at most a second's wait for whoever asked. */
export const TAKE_EVERY_MS = 1000;

/**
 * Takes the requests the CLI queued in the store for this daemon (`lifeguard restart NAME`,
 * `reload`...), carries each out and answers it in the store, where the CLI waits for it.
 * Requests for different services run side by side; the service's lock orders the rest.
 */
export function takeRequests(queue: RequestQueue, controller: Controller, deps: { logger: Logger; now: () => number; pid?: number }): { stop(): void } {
  const pid = deps.pid ?? process.pid;
  let failing = false;
  const answer = (request: QueuedRequest, outcome: ControlOutcome): void => {
    try {
      queue.finishRequest(request.id, outcome.ok, outcome.summary, deps.now());
    } catch (error) {
      deps.logger.write({ at: deps.now(), tag: "ERROR", message: `Cannot answer the request ${request.id} (${request.action}) in the store as ${messageOf(error)}` });
    }
  };
  const timer = setInterval(() => {
    let taken: QueuedRequest[];
    try {
      taken = queue.takeRequests(pid);
      failing = false;
    } catch (error) {
      if (!failing) deps.logger.write({ at: deps.now(), tag: "WARN", message: `Cannot read the requests queued in the store as ${messageOf(error)}` });
      failing = true;
      return;
    }
    for (const request of taken) void carryOut(request, controller).then((outcome) => answer(request, outcome));
  }, TAKE_EVERY_MS);
  return { stop: () => clearInterval(timer) };
}

async function carryOut(request: QueuedRequest, controller: Controller): Promise<ControlOutcome> {
  if (request.action === "reload") return controller.reload(request.by);
  const control = controlRequestOf(request);
  if (request.service === null || control === null) return { ok: false, summary: `Cannot carry out "${request.action}": Lifeguard knows no such request` };
  return controller.control(request.service, control);
}

/** The request as the engine takes it; null for an action this Lifeguard does not know (a newer CLI's). */
export function controlRequestOf(request: Pick<QueuedRequest, "action" | "options" | "by">): ControlRequest | null {
  const { action, options, by } = request;
  if (action === "pause") {
    const forMs = typeof options.forMs === "number" ? options.forMs : null;
    const reason = typeof options.reason === "string" ? options.reason : null;
    return { action, by, forMs, reason };
  }
  if (action === "restart" || action === "stop" || action === "start" || action === "resume" || action === "reset") return { action, by };
  return null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
