import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Logger } from "../core/logger.js";
import { createConnectionSlots, type ConnectionSlots } from "./connection-slots.js";
import type { Handler } from "./handler.js";
import { errorResponse } from "./json-response.js";
import { formatListenAddress, type ListenAddress } from "./listen-address.js";
import type { HttpAnswer, HttpRequest } from "./exchange.js";
import { readBody, toHttpRequest, writeAnswer } from "./node-bridge.js";
import { CONFIG_LISTEN, describeListenError, type ListenSetting } from "./listen-error.js";

/** Bounds on what one client can hold; the defaults suit a Raspberry Pi. */
export interface HttpLimits {
  /** Larger request bodies get 413 (a ping's body is at most a short log excerpt). */
  bodyBytes: number;
  /** Time to receive the headers (short: a slowloris holds its slot no longer), and the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** The handler's answer; past it, 503. */
  answerTimeoutMs: number;
  /** An idle kept-alive connection is closed after this (Prometheus keeps its connection). */
  keepAliveTimeoutMs: number;
  maxRequestsPerSocket: number;
  /** Open connections; at the cap, a new one takes the place of the one that waited longest for a request. */
  maxConnections: number;
  /** Open connections from one address, but loopback's (every local client has the same address). */
  maxConnectionsPerAddress: number;
  /** `close()` waits this long for requests in flight, then cuts their connections. */
  closeGraceMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  bodyBytes: 64 * 1024,
  headersTimeoutMs: 2_000,
  requestTimeoutMs: 10_000,
  answerTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxRequestsPerSocket: 1_000,
  maxConnections: 64,
  maxConnectionsPerAddress: 16,
  closeGraceMs: 2_000,
};
/** Methods Lifeguard never serves (tunnels, echoes); they never reach the handler. */
const UNSERVED_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
/** How often node enforces the header and request timeouts. */
const TIMEOUT_CHECK_MS = 1_000;

export interface HttpServerOptions {
  /** `{ host, port }` as the config holds it (`http.listen`); port 0 picks a free one. Nothing is listened on beyond this host. */
  listen: ListenAddress;
  handler: Handler;
  /** Aborting it closes the server, as `close()` does. */
  signal?: AbortSignal;
  /** Hears of answers that failed outside the handler's own error handling. */
  logger?: Logger;
  limits?: Partial<HttpLimits>;
  /**
   * Hears of each connection closed to make room (`evicted`) or turned away (`refused`): while
   * it sheds connections, the server may have dropped a request, a ping among them.
   */
  onShed?(what: "evicted" | "refused"): void;
  /** How the user sets the address, for the fix of a failed listen (the config key by default; quick mode's `--listen`). */
  listenSetting?: ListenSetting;
}

export interface HttpServer {
  /** `http://host:port` as bound (the real port when 0 was asked). */
  url: string;
  address: ListenAddress;
  /** Stops listening, lets requests in flight finish for `closeGraceMs`, then cuts them. */
  close(): Promise<void>;
}

/** Serves `handler` on `listen` over node:http: the only part of src/http that owns a socket. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const wanted = options.listen;
  options.signal?.throwIfAborted();
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  let origin = "";
  const slots = createConnectionSlots<Socket>(limits);
  const server = createServer(
    { requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
    (request, response) => void serve(request, response, { origin, handler: options.handler, limits, logger: options.logger, slots }),
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  // Not node's maxConnections: it turns the newcomer away, so 64 slow clients would shut out every ping.
  server.on("connection", (socket: Socket) => admit(socket, slots, options.onShed));
  await listen(server, wanted, options.listenSetting ?? CONFIG_LISTEN);
  const bound = server.address() as AddressInfo;
  const address = { host: bound.address, port: bound.port };
  origin = `http://${formatListenAddress(address)}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      options.signal?.removeEventListener("abort", onAbort);
      const cut = setTimeout(() => server.closeAllConnections(), limits.closeGraceMs);
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  const onAbort = () => void close();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) {
    // Aborted while the socket was being bound: nothing may stay listening.
    await close();
    options.signal.throwIfAborted();
  }
  return { url: origin, address, close };
}

/** Takes a new connection in, closing the one it replaces, or closes it when there is no room. */
function admit(socket: Socket, slots: ConnectionSlots<Socket>, onShed: HttpServerOptions["onShed"]): void {
  const admission = slots.admit(socket, socket.remoteAddress ?? "");
  if (admission.kind === "refused") {
    socket.destroy();
    return onShed?.("refused");
  }
  socket.once("close", () => slots.release(socket));
  if (admission.kind === "evicted") {
    admission.evicted.destroy();
    onShed?.("evicted");
  }
}

function listen(server: Server, address: ListenAddress, setting: ListenSetting): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => void describeListenError(error, address, setting).then(reject);
    server.once("error", onError);
    server.listen({ host: address.host, port: address.port, exclusive: true }, () => {
      server.off("error", onError);
      resolve();
    });
  });
}


interface ServeContext {
  origin: string;
  handler: Handler;
  limits: HttpLimits;
  logger: Logger | undefined;
  slots: ConnectionSlots<Socket>;
}

/** One request: bounded body, bounded answer; never throws. */
async function serve(request: IncomingMessage, response: ServerResponse, context: ServeContext): Promise<void> {
  const aborter = new AbortController();
  response.once("close", () => aborter.abort());
  response.once("finish", () => context.slots.waiting(request.socket));
  try {
    const body = await readBody(request, context.limits.bodyBytes);
    // Whole: from here on the request is answered, never evicted (a slow body still may be).
    context.slots.answering(request.socket);
    if (body === null) {
      response.setHeader("connection", "close");
      return writeAnswer(response, errorResponse(413, `Cannot read the request: its body is larger than ${context.limits.bodyBytes} bytes`));
    }
    if (UNSERVED_METHODS.has(request.method ?? "")) {
      return writeAnswer(response, errorResponse(405, `Cannot ${request.method} anything: Lifeguard takes GET, HEAD or POST`, { allow: "GET, HEAD, POST" }));
    }
    const httpRequest = toHttpRequest(request, context.origin, body, aborter.signal);
    if (httpRequest === null) return writeAnswer(response, errorResponse(400, "Cannot read the request: its target is not a path"));
    writeAnswer(response, await answerInTime(context.handler, httpRequest, context.limits.answerTimeoutMs));
  } catch (error) {
    // A client that went away mid-request is not Lifeguard's failure.
    if (response.destroyed) return;
    // A ping path may hold the token, a query too: neither reaches the log.
    const route = request.url?.includes("/ping/") ? "/ping/..." : (request.url ?? "").split("?")[0];
    context.logger?.write({ at: Date.now(), tag: "ERROR", message: `Cannot answer ${request.method} ${route}: ${(error as Error).message}` });
    if (!response.headersSent) writeAnswer(response, errorResponse(500, "Cannot answer the request: Lifeguard failed; see its log"));
    else response.destroy();
  }
}

/** The handler's answer, or a 503 once `timeoutMs` passes; gives up at once when the client is gone. */
async function answerInTime(handler: Handler, request: HttpRequest, timeoutMs: number): Promise<HttpAnswer> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const late = new Promise<HttpAnswer>((resolve) => {
    const give = () => resolve(errorResponse(503, `Cannot answer in time: Lifeguard took longer than ${timeoutMs} ms`));
    timer = setTimeout(give, timeoutMs);
    onAbort = give;
    request.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([handler(request), late]);
  } finally {
    clearTimeout(timer);
    if (onAbort) request.signal.removeEventListener("abort", onAbort);
  }
}
