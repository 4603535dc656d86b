import { mostUrgent, type Alert, type Severity } from "../../core/alert.js";
import type { WebhookChannelConfig } from "../../config/types.js";
import { lazyCrypto } from "../../process/lazy-crypto.js";
import { ellipsis, fitText, utf16Units, utf8Bytes, type FitOptions } from "../fit-text.js";
import { renderText } from "../render-text.js";

/**
 * The body of a webhook POST for each preset, as pure data: where it goes, what it carries, and
 * how many characters a receiver's limit cut from it.
 */
export interface WebhookRequest {
  url: string;
  body: unknown;
  cut: number;
}

/** Slack cuts a `text` at 40,000 characters but recommends 4,000: beyond, clients fold or drop it. */
export const SLACK_TEXT_LIMIT = 4000;
/** Discord refuses a `content` longer than 2,000 characters. */
export const DISCORD_CONTENT_LIMIT = 2000;
/** ntfy's default `message-size-limit` in bytes; a longer message becomes an attachment, or is refused. */
export const NTFY_MESSAGE_LIMIT = 4096;
/** Short enough for any notification's title line. */
const TITLE_LIMIT = 250;
/** Longer joined ids (a big digest) are hashed, as proxies refuse long header values. */
const IDEMPOTENCY_KEY_LIMIT = 200;

/** The version of the `generic` payload: raised only when a field changes meaning or goes away. */
export const GENERIC_PAYLOAD_VERSION = 1;

/** The request for `config.preset`, or why the config cannot make one (a permanent failure). */
export function renderWebhook(config: Pick<WebhookChannelConfig, "url" | "preset">, alerts: readonly Alert[]): WebhookRequest | { problem: string } {
  const { title, body } = renderText(alerts);
  switch (config.preset) {
    case "slack": return slackRequest(config.url, title, body);
    case "discord": return discordRequest(config.url, title, body);
    case "ntfy": return ntfyRequest(config.url, title, body, alerts);
    case "generic": return { url: config.url, body: { version: GENERIC_PAYLOAD_VERSION, title, text: body, alerts }, cut: 0 };
  }
}

/** Slack mrkdwn: the three characters Slack requires escaped; the title in bold. */
export function escapeSlack(char: string): string {
  return char === "&" ? "&amp;" : char === "<" ? "&lt;" : char === ">" ? "&gt;" : char;
}

function slackRequest(url: string, title: string, body: string): WebhookRequest {
  const { text, cut } = titled(`*${fitTitle(title, escapeSlack)}*`, body, { limit: SLACK_TEXT_LIMIT, escape: escapeSlack });
  return { url, body: { text }, cut };
}

/** Discord markdown: a backslash before what would format, link or mention (`__init__` stays as written). */
export function escapeDiscord(char: string): string {
  return /[\\*_~`|>#[\]<@]/.test(char) ? `\\${char}` : char;
}

function discordRequest(url: string, title: string, body: string): WebhookRequest {
  const { text, cut } = titled(`**${fitTitle(title, escapeDiscord)}**`, body, { limit: DISCORD_CONTENT_LIMIT, escape: escapeDiscord });
  // No mention of any kind may ping: a log line quoting "@everyone" stays text.
  return { url, body: { content: text, allowed_mentions: { parse: [] } }, cut };
}

const NTFY_PRIORITY: Record<Severity, number> = { critical: 5, warning: 4, info: 3, resolved: 3 };
const NTFY_TAGS: Record<Severity, string> = { critical: "rotating_light", warning: "warning", info: "information_source", resolved: "white_check_mark" };

/** ntfy's JSON publishing: the topic moves from the URL's last segment into the body, posted to the server's root. */
function ntfyRequest(url: string, title: string, body: string, alerts: readonly Alert[]): WebhookRequest | { problem: string } {
  const target = splitNtfyUrl(url);
  if (target === undefined) return { problem: "its URL names no topic (expected https://ntfy.sh/TOPIC)" };
  const severity = mostUrgent(alerts);
  const message = fitText(body, { limit: NTFY_MESSAGE_LIMIT, measure: utf8Bytes });
  return {
    url: target.root,
    body: { topic: target.topic, title: fitTitle(title), message: message.text, priority: NTFY_PRIORITY[severity], tags: [NTFY_TAGS[severity]] },
    cut: message.cut,
  };
}

/** `https://ntfy.example/sub/alerts?x` → root `https://ntfy.example/sub/?x`, topic `alerts`; undefined without a topic. */
export function splitNtfyUrl(url: string): { root: string; topic: string } | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const segments = parsed.pathname.replace(/\/+$/, "").split("/");
  const topic = segments.pop();
  if (topic === undefined || topic === "") return undefined;
  parsed.pathname = `${segments.join("/")}/`;
  return { root: parsed.href, topic: decodeURIComponent(topic) };
}

/** The alert's id; for a digest the ids joined by commas, hashed when that grows too long for a header. */
export function idempotencyKey(alerts: readonly Alert[]): string {
  const joined = alerts.map((alert) => alert.id).join(",");
  if (joined.length <= IDEMPOTENCY_KEY_LIMIT) return joined;
  return `digest-sha256-${lazyCrypto().createHash("sha256").update(joined).digest("hex")}`;
}

/** A heading line, then the body fitted into what is left of the limit. */
function titled(heading: string, body: string, options: FitOptions): { text: string; cut: number } {
  const separator = "\n";
  const measure = options.measure ?? utf16Units;
  const fitted = fitText(body, { ...options, limit: options.limit - measure(heading + separator) });
  return { text: heading + separator + fitted.text, cut: fitted.cut };
}

/** A title within `TITLE_LIMIT`, ending in "…" when cut. */
function fitTitle(title: string, escape?: (char: string) => string): string {
  return fitText(title, { limit: TITLE_LIMIT, marker: ellipsis, ...(escape === undefined ? {} : { escape }) }).text;
}
