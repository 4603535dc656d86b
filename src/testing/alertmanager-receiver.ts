import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AlertmanagerChannelConfig } from "../config/types.js";
import type { PostableAlert } from "../notify/channels/alertmanager-alerts.js";
import { freePort } from "./alertmanager-lab.js";

/**
 * What the receiver does with the next POST:
 * - `accept`: relays it to the real Alertmanager given as `upstream` and returns its answer
 *   (its validation included), or answers 200 itself without one;
 * - `fail`: 503, with `Retry-After` when `retryAfterSeconds` is set (temporary);
 * - `reject`: 400 with Alertmanager's JSON error body (permanent);
 * - `hang`: reads the request and never answers.
 */
export type AlertmanagerBehaviour =
  | { kind: "accept" }
  | { kind: "fail"; retryAfterSeconds?: number }
  | { kind: "reject"; message?: string }
  | { kind: "hang" };

/** One POST as it arrived: its path, headers (lower-case names) and parsed body. */
export interface AlertmanagerRequest {
  path: string;
  headers: Record<string, string>;
  alerts: PostableAlert[];
}

export interface AlertmanagerReceiver {
  url: string;
  /** A channel config (name "test") pointing at the receiver. */
  config(overrides?: Partial<AlertmanagerChannelConfig>): AlertmanagerChannelConfig;
  /** A config pointing at a port nothing listens on: connection refused. */
  refusedConfig(overrides?: Partial<AlertmanagerChannelConfig>): Promise<AlertmanagerChannelConfig>;
  /** Every POST, oldest first, whatever the answer was. */
  received: AlertmanagerRequest[];
  behave(behaviour: AlertmanagerBehaviour): void;
  close(): Promise<void>;
}

/** A config for the `alertmanager` channel at `url`, with the shared defaults of the tests. */
export function alertmanagerConfig(url: string, overrides: Partial<AlertmanagerChannelConfig> = {}): AlertmanagerChannelConfig {
  return { type: "alertmanager", name: "test", url, labels: {}, headers: {}, timeoutMs: 5000, failover: null, failoverAfterMs: 600_000, ...overrides };
}

/** A loopback server speaking Alertmanager's `POST /api/v2/alerts`, in front of a real one when `upstream` is set. */
export async function startAlertmanagerReceiver(options: { upstream?: string } = {}): Promise<AlertmanagerReceiver> {
  const received: AlertmanagerRequest[] = [];
  let behaviour: AlertmanagerBehaviour = { kind: "accept" };
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      received.push({ path: request.url ?? "", headers: headersOf(request), alerts: parseAlerts(body) });
      return answer(behaviour, request, body, response, options.upstream);
    }).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    config: (overrides) => alertmanagerConfig(url, overrides),
    refusedConfig: async (overrides) => alertmanagerConfig(`http://127.0.0.1:${await freePort()}`, overrides),
    received,
    behave: (next) => void (behaviour = next),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function answer(behaviour: AlertmanagerBehaviour, request: IncomingMessage, body: string, response: ServerResponse, upstream: string | undefined): Promise<void> {
  switch (behaviour.kind) {
    case "accept": {
      if (upstream === undefined) return void response.writeHead(200).end();
      const relayed = await fetch(`${upstream}${request.url ?? ""}`, { method: request.method, headers: { "content-type": "application/json" }, body });
      response.writeHead(relayed.status, { "content-type": relayed.headers.get("content-type") ?? "text/plain" }).end(await relayed.text());
      return;
    }
    case "fail":
      response.writeHead(503, behaviour.retryAfterSeconds === undefined ? {} : { "retry-after": String(behaviour.retryAfterSeconds) }).end("Service Unavailable");
      return;
    case "reject":
      response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ code: 400, message: behaviour.message ?? "labels cannot be empty" }));
      return;
    case "hang":
      return; // the connection stays open until the client gives up or the receiver closes
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseAlerts(body: string): PostableAlert[] {
  try {
    const parsed = JSON.parse(body) as unknown;
    return Array.isArray(parsed) ? (parsed as PostableAlert[]) : [];
  } catch {
    return [];
  }
}

function headersOf(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]));
}
