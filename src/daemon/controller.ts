import type { EngineDeps, ServiceParts } from "../engine/check-service.js";
import { controlService, type ControlOutcome, type ControlRequest } from "../engine/control-service.js";
import type { Scheduler } from "../engine/scheduler.js";
import type { Inbox } from "./inbox.js";

/** What a human may ask of the running daemon, from the CLI's queue, HTTP or Telegram: one entry for all. */
export interface Controller {
  /** `unknown` when the daemon has no such service. */
  control(service: string, request: ControlRequest): Promise<ControlOutcome & { unknown?: true }>;
  /** Reloads the configuration as SIGHUP does; resolves once it is read (or refused). */
  reload(by: string): Promise<ControlOutcome>;
  /** The services it answers for. */
  readonly services: readonly string[];
}

/**
 * Carries out requests in the daemon, with its engine: the service's lock keeps a request and a
 * round apart; its loop is woken after the request so that the service is judged at once from
 * its new state (a resume, a start).
 */
export function createController(services: readonly ServiceParts[], deps: { engine: EngineDeps; scheduler: () => Scheduler | null; inbox: Inbox }): Controller {
  return {
    services: services.map((parts) => parts.config.name),
    control: async (name, request) => {
      const index = services.findIndex((parts) => parts.config.name === name);
      const parts = services[index];
      if (parts === undefined) return { ok: false, unknown: true, summary: noSuchService(request.action, name, services.map((entry) => entry.config.name)) };
      const outcome = await controlService(parts, request, deps.engine);
      deps.scheduler()?.loops[index]?.wake();
      return outcome;
    },
    reload: (by) => new Promise((resolve) => deps.inbox.push({ kind: "reload", by, reply: resolve })),
  };
}

/** `Cannot restart "bots" as Lifeguard has no such service: "bot", "trader"`. */
export function noSuchService(action: string, name: string, services: readonly string[]): string {
  return `Cannot ${action} "${name}" as Lifeguard has no such service: ${services.map((service) => `"${service}"`).join(", ")}`;
}
