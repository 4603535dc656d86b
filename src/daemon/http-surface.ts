import type { LifeguardConfig } from "../config/types.js";
import type { Logger } from "../core/logger.js";
import type { ServiceEvent } from "../core/policy.js";
import type { Store } from "../store/index.js";
import { collectStatus } from "../compose/service-status.js";
import { createHandler, createMetrics, startHttpServer, type HttpServer } from "../http/index.js";
import { VERSION } from "../version.js";
import type { Scheduler } from "./scheduler.js";

/** The daemon's HTTP server and the metrics it keeps. */
export interface DaemonHttp {
  server: HttpServer;
  /** Counts a round's events into `lifeguard_restarts_total`. */
  countEvents(service: string, events: readonly ServiceEvent[]): void;
}

/**
 * Serves /healthz, /api/status, /api/history and /metrics on `http.listen` (loopback by
 * default), derived from the scheduler's last rounds and the store. Pings answer 409 until
 * heartbeat checks exist: no service takes them yet.
 */
export async function startDaemonHttp(
  config: LifeguardConfig, deps: { store: Store; scheduler: Scheduler; logger: Logger; now: () => number; signal: AbortSignal },
): Promise<DaemonHttp> {
  const { store, scheduler, now } = deps;
  const metrics = createMetrics({
    version: VERSION,
    snapshot: () => ({
      at: now(),
      services: config.services.map((service, index) => ({
        service: service.name,
        state: store.loadState(service.name),
        limit: service.policy.limit,
        observations: scheduler.loops[index]?.lastReport?.observations ?? [],
      })),
    }),
  });
  const names = new Set(config.services.map((service) => service.name));
  const handler = createHandler({
    token: config.http.token,
    healthy: () => (scheduler.isProgressing()
      ? { ok: true, summary: `Watching ${names.size} service(s)` }
      : { ok: false, summary: "A service's loop has made no progress within its interval and the longest round" }),
    status: () => collectStatus(config, store, now()),
    history: (query) => store.history(query),
    metrics: () => metrics.render(),
    ping: (service) => (names.has(service)
      ? { status: "refused", summary: `"${service}" has no heartbeat check, so it takes no pings` }
      : { status: "unknown-service" }),
    now,
    logger: deps.logger,
  });
  const server = await startHttpServer({ listen: { host: config.http.host, port: config.http.port }, handler, signal: deps.signal, logger: deps.logger });
  return { server, countEvents: (service, events) => metrics.countEvents(service, events) };
}
