import type { WebhookChannelConfig } from "../config/types.js";
import { behaviourQueue, startHttpReceiver, type ChannelReceiver, type RecordedRequest } from "./http-receiver.js";

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

/** Its `config` has preset generic and the secret path; `received` holds the requests answered 2xx. */
export interface WebhookReceiver extends ChannelReceiver<WebhookChannelConfig, WebhookBehaviour, RecordedRequest> {
  /** `http://127.0.0.1:PORT`: what results may show of the URL. */
  origin: string;
}

/** A loopback HTTP server that records method, path, headers and the parsed JSON body of each POST. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: RecordedRequest[] = [];
  const behaviours = behaviourQueue<WebhookBehaviour>({ kind: "accept" });
  const http = await startHttpReceiver((request, answer) => {
    const behaviour = behaviours.next();
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
    behave: (...next) => behaviours.set(next),
    waitForRequests: http.waitForRequests,
    close: http.close,
  };
}
