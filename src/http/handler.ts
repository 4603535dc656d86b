import type { Logger } from "../core/logger.js";
import { authorize } from "./authorize.js";
import type { HttpAnswer, HttpRequest } from "./exchange.js";
import { parseHistoryQuery, type HistoryRequest } from "./history-query.js";
import { errorResponse, jsonResponse, textResponse, withoutBody } from "./json-response.js";
import { isPingPathProblem, parsePingPath, type PingSignal } from "./ping-path.js";
import { derivePingKey, readPresentedToken, redactSecret } from "./token.js";
import { answerControl, isControlPath, type ControlDeps } from "./control-routes.js";

/** Lifeguard's own health for `/healthz`: its loop runs, its store answers. */
export interface LifeguardHealth {
  ok: boolean;
  summary: string;
}

/** What the daemon did with a ping. */
export type PingResult =
  | { status: "accepted"; summary: string }
  /** No service of that name: 404. */
  | { status: "unknown-service" }
  /** The service exists but takes no pings of this kind (e.g. it has no heartbeat check): 409. */
  | { status: "refused"; summary: string };

type Answer<T> = T | Promise<T>;

/**
 * Everything the handler reads or does, passed in as functions (hono's way): the handler
 * imports no store, engine or socket, so it is tested in process with plain values.
 */
export interface HandlerDeps {
  /**
   * `null` (or empty) turns off pings and whatever shows a service's output or evidence
   * (`/api/history`, the whole `/api/status`): refused with 403 until `http.token` is set.
   */
  token: string | null;
  /** Also require the token for `/metrics` and `/api/status`'s overview (never for `/healthz`). */
  protectReads?: boolean;
  healthy(): Answer<LifeguardHealth>;
  /** Each service as `lifeguard status --json` shows it (`ServiceStatus[]`): its evidence too, so only with the token. */
  status(): Answer<readonly unknown[]>;
  /** Each service's name and health, nothing it wrote or was judged by: `/api/status` without the token (`ServiceOverview[]`). */
  overview(): Answer<readonly unknown[]>;
  /** Each alert channel as `lifeguard status --json` shows it (`ChannelStatus[]`). */
  channels(): Answer<readonly unknown[]>;
  /** Restarts, events and alerts, newest first (`Store.history`). */
  history(query: HistoryRequest): Answer<readonly unknown[]>;
  /** The Prometheus exposition text (`LifeguardMetrics.render`). */
  metrics(): Promise<string>;
  ping(service: string, signal: PingSignal): Answer<PingResult>;
  /** Wall clock (ms), for `at` in answers and for `since`. */
  now(): number;
  /** Carries out a human's request (`POST /api/services/NAME/ACTION`, `POST /api/reload`); absent: not served. */
  control?: Omit<ControlDeps, "token">;
  /** The status page (src/page/): its routes, and their answers; absent: not served. */
  page?: PageRoutes;
  /** Hears of failures answered with 500 (or 503 from /healthz); the token is scrubbed from them. */
  logger?: Logger;
}

/**
 * Routes served beside the handler's own, e.g. the status page's HTML: `serves` is asked of every
 * path the handler has no route for, so it is cheap; `answer` may load its code at its first call.
 */
export interface PageRoutes {
  serves(pathname: string): boolean;
  answer(request: HttpRequest): Promise<HttpAnswer>;
  /** For the 404 answer's list of what is served. */
  routes: string;
}

export type Handler = (request: HttpRequest) => Promise<HttpAnswer>;

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const READ = ["GET", "HEAD"];
const PING = ["GET", "POST"];
const SERVED = "/healthz, /api/status, /api/history, /metrics and /ping/NAME";
const SERVED_WITH_CONTROL = "/healthz, /api/status, /api/history, /metrics, /ping/NAME, and POST /api/services/NAME/ACTION and /api/reload";

/**
 * Who may have a route's answer: anyone (`/healthz`); anyone unless `protectReads` is set
 * (`/metrics`); only the token's holder (what shows a service's output or evidence).
 */
type Access = "public" | "read" | "token";

interface Route {
  methods: string[];
  access: Access;
  run(url: URL): Promise<HttpAnswer>;
  /** A `token` route's answer to a request that presents no token (or when none is set), unless `protectReads`. */
  withoutToken?(): Promise<HttpAnswer>;
}

/** Lifeguard's HTTP surface as a pure request → answer function; the socket is `server.ts`'s. */
export function createHandler(deps: HandlerDeps): Handler {
  const token = deps.token === "" ? null : deps.token;
  const scrub = (text: string): string => redactSecret(text, token);
  const report = (action: string, error: unknown): string => {
    const message = scrub(`Cannot ${action}: ${error instanceof Error ? error.message : String(error)}`);
    deps.logger?.write({ at: deps.now(), tag: "ERROR", message });
    return message;
  };
  /** Runs `answer`; a thrown error becomes a 500 naming the failed action. */
  const attempt = async (action: string, answer: () => Promise<HttpAnswer>): Promise<HttpAnswer> => {
    try {
      return await answer();
    } catch (error) {
      return errorResponse(500, report(action, error));
    }
  };

  const routes: Record<string, Route> = {
    "/healthz": {
      methods: READ,
      access: "public",
      run: async () => {
        try {
          const health = await deps.healthy();
          return jsonResponse(health.ok ? 200 : 503, { ok: health.ok, summary: scrub(health.summary) });
        } catch (error) {
          return jsonResponse(503, { ok: false, summary: report("tell Lifeguard's health", error) });
        }
      },
    },
    "/api/status": {
      methods: READ,
      access: "token",
      withoutToken: () =>
        attempt("read the status", async () => {
          const how = token === null ? "set http.token in the config and send it" : 'send "Authorization: Bearer TOKEN" or add "?token=TOKEN"';
          return jsonResponse(200, { at: new Date(deps.now()).toISOString(), services: await deps.overview(), detail: `Names and health only: for evidence, restarts and channels, ${how}` });
        }),
      run: () => attempt("read the status", async () => jsonResponse(200, { at: new Date(deps.now()).toISOString(), services: await deps.status(), channels: await deps.channels() })),
    },
    "/api/history": {
      methods: READ,
      access: "token",
      run: async (url) => {
        const query = parseHistoryQuery(url.searchParams, deps.now());
        if ("problem" in query) return errorResponse(400, scrub(query.problem));
        return attempt("read the history", async () => jsonResponse(200, { entries: await deps.history(query) }));
      },
    },
    "/metrics": {
      methods: READ,
      access: "read",
      run: () => attempt("render the metrics", async () => textResponse(200, await deps.metrics(), METRICS_CONTENT_TYPE)),
    },
  };

  const ping = async (request: HttpRequest, url: URL): Promise<HttpAnswer> => {
    const target = parsePingPath(url.pathname.slice("/ping/".length).split("/"));
    if (isPingPathProblem(target)) return errorResponse(target.status, target.message);
    // The service's own ping key opens its pings only: it is derived from the name pinged.
    const pingKey = token === null ? undefined : derivePingKey(token, target.service);
    const denied = authorize(request, token, "a ping", { pathToken: target.token, pingKey });
    if (denied) return denied;
    const service = scrub(target.service);
    return attempt(`record the ping of ${JSON.stringify(service)}`, async () => {
      const result = await deps.ping(target.service, target.signal);
      if (result.status === "unknown-service") return errorResponse(404, `No service ${JSON.stringify(service)} is configured`);
      if (result.status === "refused") return errorResponse(409, scrub(result.summary));
      return jsonResponse(200, { ok: true, service, signal: target.signal, summary: scrub(result.summary) });
    });
  };

  const answer = async (request: HttpRequest): Promise<HttpAnswer> => {
    const { url, method } = request;
    if (url.pathname.startsWith("/ping/")) return refuseMethod(method, PING, "/ping/...") ?? ping(request, url);
    const { control } = deps;
    if (control !== undefined && isControlPath(url.pathname)) return attempt(`answer ${url.pathname}`, () => answerControl(request, { token, ...control }));
    const route = routes[url.pathname];
    if (route === undefined) {
      const { page } = deps;
      if (page?.serves(url.pathname) === true) return attempt(`answer ${url.pathname}`, () => page.answer(request));
      return errorResponse(404, `Not found: Lifeguard serves ${control === undefined ? SERVED : SERVED_WITH_CONTROL}${page === undefined ? "" : `; and ${page.routes}`}`);
    }
    const refusedMethod = refuseMethod(method, route.methods, url.pathname);
    if (refusedMethod) return refusedMethod;
    if (route.access === "public" || (route.access === "read" && !deps.protectReads)) return route.run(url);
    // A wrong token is refused, not answered with the token-less view: the caller learns it is wrong.
    if (route.withoutToken && !deps.protectReads && (token === null || readPresentedToken(request) === null)) return route.withoutToken();
    return authorize(request, token, `a request for ${url.pathname}`) ?? route.run(url);
  };
  return async (request) => {
    const response = await answer(request);
    return request.method === "HEAD" ? withoutBody(response) : response;
  };
}

function refuseMethod(method: string, allowed: string[], route: string): HttpAnswer | null {
  if (allowed.includes(method)) return null;
  return errorResponse(405, `Cannot ${method} ${route}: it takes ${allowed.join(" or ")}`, { allow: allowed.join(", ") });
}
