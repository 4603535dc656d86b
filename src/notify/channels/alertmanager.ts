import type { AlertmanagerChannelConfig } from "../../config/types.js";
import { toAlertmanagerAlerts } from "./alertmanager-alerts.js";
import type { SenderFactory } from "../channel.js";
import { httpFinding } from "../http-finding.js";
import { postJson } from "../../process/http-post.js";

/** Enough of an error body for a summary; Alertmanager's are one short sentence. */
const MAX_ERROR_CHARS = 300;

/**
 * Posts the alerts (a digest: all of them, oldest first) to Alertmanager's v2 API as one array:
 * see alertmanager-alerts.ts for how Lifeguard's alerts become Alertmanager's. 2xx is delivered;
 * 408, 429 and 5xx are worth a retry (after `Retry-After`); any other answer is permanent until
 * the config changes. The config's header values never appear in a result.
 */
export const createAlertmanagerSender: SenderFactory<AlertmanagerChannelConfig> = (config, deps) => async (alerts, signal) => {
  const host = new URL(config.url).host;
  const body = toAlertmanagerAlerts(alerts, config.labels);
  const outcome = await postJson(`${config.url}/api/v2/alerts`, body, config.headers, signal);
  const count = body.length === 1 ? "1 alert" : `${body.length} alerts`;
  const words = { where: `Alertmanager at ${host}`, sent: () => `Sent ${count} to Alertmanager at ${host}`, detail: errorText };
  return httpFinding(outcome, words, { host, alerts: body.length }, deps.clock.now());
};

/**
 * Alertmanager's error, in one line: a JSON string (`"start time must be before end time"`), an
 * object with a `message` (`{"code":400,"message":"..."}`), or a proxy's plain text.
 */
export function errorText(body: string): string {
  let text = body;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === "string") text = parsed;
    else if (typeof (parsed as { message?: unknown } | null)?.message === "string") text = (parsed as { message: string }).message;
  } catch {
    // not JSON: the text as it is
  }
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= MAX_ERROR_CHARS ? line : `${line.slice(0, MAX_ERROR_CHARS - 1)}…`;
}
