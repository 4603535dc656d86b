import { hasPingHeartbeat } from "../config/ping-heartbeat.js";
import { QUICK_SOURCE } from "../config/quick-source.js";
import type { LifeguardConfig } from "../config/types.js";
import { describeSignal, isFailureSignal, type PingSignal } from "../core/heartbeat.js";
import type { Logger } from "../core/logger.js";
import type { ServiceEvent } from "../core/policy.js";
import type { Store } from "../store/index.js";
import { collectChannels, collectStatus, overviewOf } from "../compose/service-status.js";
import {
  createHandler, createMetrics, DEFAULT_HTTP_LIMITS, isLoopback, startHttpServer, type HttpControlAction, type HttpServer, type PageRoutes, type PauseOptions, type PingResult,
} from "../http/index.js";
import type { StatusPageDeps } from "../page/page-deps.js";
import { isPagePath, PAGE_ROUTES } from "../page/paths.js";
import { loadStatusPage } from "./load-status-page.js";
import { VERSION } from "../core/version.js";
import { excuseLostPings, type PingedService } from "./excuse-lost-pings.js";
import type { Scheduler } from "../engine/scheduler.js";
import type { Controller } from "./controller.js";

/** The daemon's HTTP server and the metrics it keeps. */
export interface DaemonHttp {
  server: HttpServer;
  /** Counts a round's events into `lifeguard_restarts_total`. */
  countEvents(service: string, events: readonly ServiceEvent[]): void;
  /**
   * Connects the scheduler once it runs. The server listens before the supervised services
   * start, so they can be given its real address; until then /healthz says Lifeguard is
   * starting, and pings are recorded without waking a loop.
   */
  attach(scheduler: Scheduler): void;
}

/**
 * Serves /healthz, /api/status, /api/history, /metrics, /ping/... and the status page (/) on
 * `http.listen` (loopback by default), derived from the scheduler's last rounds and the store. A ping of a service
 * with a heartbeat check by ping is kept in the store; one that reports a failure wakes the
 * service's loop, so it is judged at once rather than at the end of the interval.
 */
export async function startDaemonHttp(
  config: LifeguardConfig, deps: { store: Store; logger: Logger; now: () => number; signal: AbortSignal; controller?: Controller },
): Promise<DaemonHttp> {
  const { store, now, controller } = deps;
  let scheduler: Scheduler | null = null;
  const metrics = createMetrics({
    version: VERSION,
    snapshot: () => ({
      at: now(),
      services: config.services.map((service, index) => ({
        service: service.name,
        state: store.loadState(service.name),
        limit: service.policy.limit,
        observations: scheduler?.loops[index]?.lastReport?.observations ?? [],
        heldAt: scheduler?.loops[index]?.holding() === true ? now() : null,
      })),
      channels: store.channelHealth(config.channels.map((channel) => channel.name)),
    }),
  });
  const ping = (service: string, signal: PingSignal): PingResult => {
    const index = config.services.findIndex((entry) => entry.name === service);
    const entry = config.services[index];
    if (entry === undefined) return { status: "unknown-service" };
    if (!hasPingHeartbeat(entry)) return { status: "refused", summary: `Cannot accept a ping for "${service}" as it has no heartbeat check by ping (a "heartbeat" check without "file")` };
    store.recordPing(service, signal, now());
    if (!isFailureSignal(signal)) return { status: "accepted", summary: `Recorded the ${describeSignal(signal)} ping of "${service}"` };
    scheduler?.loops[index]?.wake();
    return { status: "accepted", summary: `Recorded the ${describeSignal(signal)} ping of "${service}"; its checks run now` };
  };
  // Pings sent while no Lifeguard listened were lost, not missed: each heartbeat's age starts over.
  const pinged = config.services.filter(hasPingHeartbeat).map((service) => service.name);
  for (const service of pinged) store.watchHeartbeat(service, now());
  // So were pings sent while the server shed connections.
  const lostPings = excuseLostPings(pingedServices(config), { store, logger: deps.logger, now, maxConnections: DEFAULT_HTTP_LIMITS.maxConnections });
  const control = controller === undefined ? undefined : (service: string, action: HttpControlAction, pause: PauseOptions, by: string) =>
    controller.control(service, action === "pause" ? { action, by, ...pause } : { action, by });
  const page = statusPageRoutes({
    token: config.http.token,
    // Beyond loopback strangers reach it: every view of the page needs a sign-in.
    protectReads: !isLoopback(config.http.host),
    now,
    status: () => collectStatus(config, store, now()),
    channels: () => collectChannels(config, store),
    history: (query) => store.history(query),
    observations: (service) => scheduler?.loops[config.services.findIndex((entry) => entry.name === service)]?.lastReport?.observations ?? [],
    ...(control === undefined ? {} : { control }),
    logger: deps.logger,
  });
  const handler = createHandler({
    token: config.http.token,
    // Beyond loopback, strangers reach every read-only view too: /metrics and /api/status's overview need the token there.
    protectReads: !isLoopback(config.http.host),
    healthy: () => {
      if (scheduler === null) return { ok: false, summary: "Lifeguard is starting its services" };
      return scheduler.isProgressing()
        ? { ok: true, summary: `Watching ${config.services.length} service(s)` }
        : { ok: false, summary: "A service's loop has made no progress within its interval and the longest round" };
    },
    status: () => collectStatus(config, store, now()),
    overview: () => collectStatus(config, store, now()).map(overviewOf),
    channels: () => collectChannels(config, store),
    history: (query) => store.history(query),
    metrics: () => metrics.render(),
    ping,
    now,
    logger: deps.logger,
    ...(controller === undefined || control === undefined ? {} : { control: { control, reload: (by) => controller.reload(by) } }),
    page,
  });
  const served = await startHttpServer({
    listen: { host: config.http.host, port: config.http.port }, handler, signal: deps.signal, logger: deps.logger, onShed: () => lostPings.shed(),
    // The fix names what the user changes: quick mode's flag, or the key in their file.
    listenSetting: config.source === QUICK_SOURCE ? (address) => `--listen ${address}` : (address) => `http.listen: "${address}" in ${config.source}`,
  });
  const server: HttpServer = { ...served, close: () => served.close().finally(() => lostPings.stop()) };
  return {
    server,
    countEvents: (service, events) => metrics.countEvents(service, events),
    attach: (running) => void (scheduler = running),
  };
}

/** The services whose heartbeat takes pings, with the max-age of that check. */
function pingedServices(config: LifeguardConfig): PingedService[] {
  return config.services.flatMap((service) => service.checks.flatMap((check) => (check.kind === "heartbeat" && check.file === null ? [{ name: service.name, maxAgeMs: check.maxAgeMs }] : [])));
}

/**
 * The status page's routes, its code loaded at the first request for one of them (load-status-page.ts):
 * a daemon whose page nobody opens never holds it (a failed load is tried again at the next request).
 */
function statusPageRoutes(deps: StatusPageDeps): PageRoutes {
  let page: Promise<PageRoutes["answer"]> | undefined;
  return {
    serves: isPagePath,
    routes: PAGE_ROUTES,
    answer: async (request) => {
      page ??= loadStatusPage().then((module) => module.createStatusPage(deps)).catch((error: unknown) => {
        page = undefined;
        throw error;
      });
      return (await page)(request);
    },
  };
}
