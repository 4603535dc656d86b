import { STATUS_CODES } from "node:http";
import type { AlertmanagerChannelConfig } from "../../config/types.js";
import { VERSION } from "../../version.js";
import { toAlertmanagerAlerts } from "../alertmanager-alerts.js";
import type { SendFinding, SenderFactory } from "../channel.js";

/** Enough of an error body for a summary; Alertmanager's are one short sentence. */
const MAX_ERROR_CHARS = 300;
const MAX_BODY_BYTES = 64 * 1024;

/** Statuses worth trying again: the server is busy, down, or asked us to wait. */
const isTemporary = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** Plain words for the network errors a POST meets most. */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  ETIMEDOUT: "the connection timed out",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name cannot be resolved now",
  ENETUNREACH: "the network is unreachable",
  EHOSTUNREACH: "the host is unreachable",
  UND_ERR_SOCKET: "the connection closed before an answer",
};

/**
 * Posts the alerts (a digest: all of them, oldest first) to Alertmanager's v2 API as one array:
 * see alertmanager-alerts.ts for how Lifeguard's alerts become Alertmanager's. 2xx is delivered;
 * 408, 429 and 5xx are worth a retry (after `Retry-After`); any other answer is permanent until
 * the config changes. The config's header values never appear in a result.
 */
export const createAlertmanagerSender: SenderFactory<AlertmanagerChannelConfig> = (config, deps) => async (alerts, signal) => {
  const where = new URL(config.url).host;
  const body = toAlertmanagerAlerts(alerts, config.labels);
  const headers = new Headers(config.headers);
  headers.set("content-type", "application/json");
  if (!headers.has("user-agent")) headers.set("user-agent", `lifeguard/${VERSION}`);
  let response: Response;
  let text: string;
  try {
    // Not followed: a redirected POST becomes a GET that loses the alerts.
    response = await fetch(`${config.url}/api/v2/alerts`, { method: "POST", headers, body: JSON.stringify(body), signal, redirect: "manual" });
    text = await readCapped(response);
  } catch (error) {
    if (signal.aborted) return { ok: false, summary: `Stopped sending to Alertmanager at ${where} as the attempt was cancelled`, evidence: { host: where } };
    const cause = describeNetworkError(error);
    return { ok: false, summary: `Cannot send to Alertmanager at ${where} as ${cause}`, evidence: { host: where }, cause };
  }
  return classify(response, text, { where, count: body.length, now: deps.clock.now() });
};

function classify(response: Response, text: string, context: { where: string; count: number; now: number }): SendFinding {
  const { status } = response;
  const evidence = { host: context.where, status, alerts: context.count };
  if (status >= 200 && status < 300) {
    return { ok: true, summary: `Sent ${context.count === 1 ? "1 alert" : `${context.count} alerts`} to Alertmanager at ${context.where}`, evidence };
  }
  const reason = errorText(text);
  const answered = `${status} ${response.statusText || STATUS_CODES[status] || ""}`.trim();
  const summary = `Cannot send to Alertmanager at ${context.where} as it answered ${answered}${reason === "" ? "" : `: ${reason}`}`;
  const finding: SendFinding = { ok: false, summary, evidence, ...(reason === "" ? {} : { cause: reason }) };
  if (!isTemporary(status)) return { ...finding, permanent: true };
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), context.now);
  return retryAfterMs === undefined ? finding : { ...finding, retryAfterMs };
}

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

/**
 * HTTP's `Retry-After` in ms from `now`: delay-seconds (`120`) or an HTTP-date. undefined when
 * absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The body's first MAX_BODY_BYTES as text: a server that streams more is not read further. */
async function readCapped(response: Response): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || value === undefined) break;
      chunks.push(value);
      size += value.byteLength;
      if (size >= MAX_BODY_BYTES) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8");
}

/** `the connection was refused (ECONNREFUSED)`, from the error's code, never fetch's message. */
function describeNetworkError(error: unknown): string {
  let cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AggregateError && codeOf(cause) === undefined && cause.errors[0] !== undefined) cause = cause.errors[0];
  const code = codeOf(cause);
  if (code === undefined) return `the request failed (${cause instanceof Error ? cause.message : String(cause)})`;
  return `${NETWORK_ERRORS[code] ?? "the request failed"} (${code})`;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
