import type { WebhookChannelConfig } from "../../config/types.js";
import type { SenderFactory } from "../channel.js";
import { ellipsis, fitText } from "../fit-text.js";
import { hideSecrets } from "../../core/hide-secrets.js";
import { httpFinding } from "../http-finding.js";
import { lowerCaseNames, postJson } from "../../process/http-post.js";
import { originOf, urlSecrets } from "../../core/secret-url.js";
import { idempotencyKey, renderWebhook, splitNtfyUrl } from "./webhook-presets.js";

/** How results name the receiver. */
const RECEIVERS: Record<WebhookChannelConfig["preset"], string> = { slack: "Slack", discord: "Discord", ntfy: "ntfy", generic: "the webhook" };
/** A receiver's error text is one line; an HTML error page is not worth more than this. */
const DETAIL_LIMIT = 200;

/**
 * POSTs one alert, or a digest, as one JSON body shaped by `preset` (webhook-presets.ts),
 * with `headers` and an `Idempotency-Key`. The URL and the header values are secrets: results
 * name the URL's origin only, and a receiver's answer is cleared of both before it is quoted.
 */
export const createWebhookSender: SenderFactory<WebhookChannelConfig> = (config, deps) => async (alerts, signal) => {
  const where = `${RECEIVERS[config.preset]} at "${originOf(config.url)}"`;
  const evidence = { origin: originOf(config.url), preset: config.preset, alerts: alerts.length };
  const request = renderWebhook(config, alerts);
  if ("problem" in request) return { ok: false, permanent: true, summary: `Cannot send to ${where} as ${request.problem}`, evidence };
  const outcome = await postJson(request.url, request.body, webhookHeaders(config, idempotencyKey(alerts)), signal);
  const words = { where, sent: (answered: string) => `Sent to ${where} (${answered})`, detail: answerDetail };
  const finding = httpFinding(outcome, words, { ...evidence, ...(request.cut > 0 ? { cut: request.cut } : {}) }, deps.clock.now());
  return hideSecrets(finding, webhookSecrets(config));
};

/** JSON and the idempotency key by default; the config's headers override them (names are case-insensitive). */
export function webhookHeaders(config: Pick<WebhookChannelConfig, "headers">, key: string): Record<string, string> {
  return { "content-type": "application/json", "idempotency-key": key, ...lowerCaseNames(config.headers) };
}

/**
 * The receiver's reason on one short line: the `message`, `error` or `description` of a JSON
 * answer (Discord, ntfy), else the text's first line (Slack's `invalid_token`).
 */
export function answerDetail(body: string): string {
  let text = body;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    const field = [parsed?.message, parsed?.error, parsed?.description].find((value) => typeof value === "string");
    if (typeof field === "string") text = field;
  } catch {
    // Not JSON: the text as it is.
  }
  const line = text.split(/\r?\n/).map((part) => part.trim()).find((part) => part !== "") ?? "";
  return fitText(line, { limit: DETAIL_LIMIT, marker: ellipsis }).text;
}

/** Everything of the config a result must not show: the URL beyond its origin, the ntfy topic, the header values. */
export function webhookSecrets(config: WebhookChannelConfig): string[] {
  const topic = config.preset === "ntfy" ? splitNtfyUrl(config.url)?.topic : undefined;
  return [...urlSecrets(config.url), ...(topic === undefined ? [] : [topic]), ...Object.values(config.headers)];
}
