import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "./wait-for.js";

/** One request as a receiver saw it; `status` is what it answered, null while it holds the request (hang). */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  /** The body parsed as JSON; the raw text when it is not JSON. */
  body: unknown;
  status: number | null;
}

/** Answers a recorded request: with `answer(status, body, headers)`, or not at all (a hang). */
export type Handle = (request: RecordedRequest, answer: (status: number, body: unknown, headers?: Record<string, string>) => void) => void;

export interface HttpReceiver {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** `http://127.0.0.1:PORT` of a port that was bound and closed: connecting there is refused. */
  refusedOrigin: string;
  /** Every request, in arrival order, whatever was answered. */
  requests: RecordedRequest[];
  /** Resolves once `count` requests have arrived (answered or held); rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  /** Drops held requests and closes the server. Idempotent. */
  close(): Promise<void>;
}

/** A channel's receiver over HTTP, as its tests and the end-to-end tests use it. */
export interface ChannelReceiver<Config, Behaviour, Received> extends Pick<HttpReceiver, "requests" | "waitForRequests" | "close"> {
  /** A channel config (name "test") pointing at this receiver. */
  config(overrides?: Partial<Config>): Config;
  /** The same config at a port that refuses connections. */
  refusingConfig(overrides?: Partial<Config>): Config;
  /** What it accepted, in order. */
  received: Received[];
  /** Sets the behaviours of the next requests: each takes the next one, the last one stays. */
  behave(...behaviours: Behaviour[]): void;
}

/** The behaviours of `ChannelReceiver.behave`: taken in turn, the last one staying; `fallback` when none is set. */
export function behaviourQueue<Behaviour>(fallback: Behaviour): { next(): Behaviour; set(behaviours: Behaviour[]): void } {
  let queue = [fallback];
  return {
    next: () => (queue.length > 1 ? queue.shift() : queue[0]) ?? fallback,
    set: (behaviours) => void (queue = behaviours.length > 0 ? behaviours : [fallback]),
  };
}

/** A loopback HTTP server on a free port (or `port`: one a closed receiver had) that records each request and lets `handle` answer it. */
export async function startHttpReceiver(handle: Handle, options: { port?: number } = {}): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const recorded: RecordedRequest = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, raw, body: parse(raw), status: null };
      requests.push(recorded);
      handle(recorded, (status, body, headers = {}) => answer(response, recorded, status, body, headers));
    });
  });
  const port = await listen(server, options.port);
  const refusedPort = await closedPort();
  let closed: Promise<void> | undefined;
  return {
    origin: `http://127.0.0.1:${port}`,
    refusedOrigin: `http://127.0.0.1:${refusedPort}`,
    requests,
    async waitForRequests(count, timeoutMs = 10_000) {
      if (!(await waitFor(() => requests.length >= count, { timeoutMs, intervalMs: 5 }))) throw new Error(`${count} requests did not arrive within ${timeoutMs}ms (${requests.length} did)`);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}

function answer(response: ServerResponse, recorded: RecordedRequest, status: number, body: unknown, headers: Record<string, string>): void {
  recorded.status = status;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const type = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json";
  response.writeHead(status, { "content-type": type, ...headers });
  response.end(text);
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

async function listen(server: Server, port = 0): Promise<number> {
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: one the kernel gave a server that is closed again. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
