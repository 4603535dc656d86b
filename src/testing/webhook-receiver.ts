import type { WebhookChannelConfig } from "../config/types.js";
import { startHttpReceiver, type RecordedRequest } from "./http-receiver.js";

/** The secret part of the test URL (an incoming webhook's key); tests assert it never shows in a result. */
export const TEST_WEBHOOK_PATH = "/hooks/T0001/B0002/s3cret-hook-key";

/**
 * How the receiver answers: `accept` (200 "ok" as Slack does, or any 2xx and body), `fail` (any
 * status, with a `Retry-After` and a body when given), `hang` (never answers).
 */
export type WebhookBehaviour =
  | { kind: "accept"; status?: number; body?: unknown }
  | { kind: "fail"; status: number; retryAfter?: string; body?: unknown }
  | { kind: "hang" };

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT`: what results may show of the URL. */
  origin: string;
  /** A channel config pointing at this receiver (name "test", preset generic, the secret path). */
  config(overrides?: Partial<WebhookChannelConfig>): WebhookChannelConfig;
  /** The same config at a port that refuses connections. */
  refusingConfig(overrides?: Partial<WebhookChannelConfig>): WebhookChannelConfig;
  /** Requests answered 2xx, in order. */
  received: RecordedRequest[];
  /** Every request with what it was answered (null: held). */
  requests: RecordedRequest[];
  /** Sets the behaviours of the next requests: each takes the next one, the last one stays. */
  behave(...behaviours: WebhookBehaviour[]): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A loopback HTTP server that records method, path, headers and the parsed JSON body of each POST. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: RecordedRequest[] = [];
  let behaviours: WebhookBehaviour[] = [{ kind: "accept" }];
  const http = await startHttpReceiver((request, answer) => {
    const behaviour = (behaviours.length > 1 ? behaviours.shift() : behaviours[0]) ?? { kind: "accept" };
    if (behaviour.kind === "hang") return;
    if (behaviour.kind === "fail") {
      return answer(behaviour.status, behaviour.body ?? "", behaviour.retryAfter === undefined ? {} : { "retry-after": behaviour.retryAfter });
    }
    received.push(request);
    answer(behaviour.status ?? 200, behaviour.body ?? "ok");
  });
  const config = (origin: string, overrides: Partial<WebhookChannelConfig> = {}): WebhookChannelConfig => ({
    type: "webhook", name: "test", timeoutMs: 10_000, failover: null, failoverAfterMs: 600_000,
    url: `${origin}${TEST_WEBHOOK_PATH}`, preset: "generic", headers: {}, ...overrides,
  });
  return {
    origin: http.origin,
    config: (overrides) => config(http.origin, overrides),
    refusingConfig: (overrides) => config(http.refusedOrigin, overrides),
    received,
    requests: http.requests,
    behave: (...next) => void (behaviours = next.length > 0 ? next : [{ kind: "accept" }]),
    waitForRequests: http.waitForRequests,
    close: http.close,
  };
}
