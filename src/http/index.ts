/** Lifeguard's HTTP surface: what the daemon's composition root plugs together. */
export { createHandler, METRICS_CONTENT_TYPE, type Handler, type HandlerDeps, type LifeguardHealth, type PageRoutes, type PingResult } from "./handler.js";
export { DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, type HistoryRequest } from "./history-query.js";
export { formatListenAddress, isLoopback, type ListenAddress } from "./listen-address.js";
export { createMetrics, type LifeguardMetrics, type MetricsOptions, type MetricsSnapshot, type ServiceSnapshot } from "./metrics.js";
export type { PingSignal } from "./ping-path.js";
export { servicePingUrl } from "./ping-url.js";
export { DEFAULT_HTTP_LIMITS, startHttpServer, type HttpLimits, type HttpServer, type HttpServerOptions } from "./server.js";
export type { ListenSetting } from "./listen-error.js";
export { tokensEqual } from "./token.js";
export { CONTROL_ACTIONS, type ControlAnswer, type HttpControlAction, type PauseOptions } from "./control-routes.js";
