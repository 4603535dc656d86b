import type { Alert } from "../../core/alert.js";
import type { TelegramChannelConfig } from "../../config/types.js";
import type { SendFinding, SenderFactory } from "../channel.js";
import { ellipsis, fitText } from "../fit-text.js";
import { hideSecrets } from "../../core/hide-secrets.js";
import { postJson, type HttpOutcome } from "../../process/http-post.js";
import { renderText } from "../render-text.js";
import { parseRetryAfter } from "../retry-after.js";
import { originOf } from "../../core/secret-url.js";

/** Telegram refuses a message longer than this, counted in UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;
const TITLE_LIMIT = 256;
/** A description is Telegram's one line; a proxy's error page is not worth more than this. */
const DESCRIPTION_LIMIT = 200;

/** The Bot API's answer (https://core.telegram.org/bots/api#making-requests). */
export interface BotApiAnswer {
  ok?: unknown;
  result?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown };
}

/**
 * Sends one alert, or a digest, as ONE plain-text message (no parse_mode: nothing in a log line
 * can break the markup) to `chat` through the Bot API's `sendMessage`. The token is part of the
 * URL, so no result quotes the URL or a network error's message: only the API's origin.
 */
export const createTelegramSender: SenderFactory<TelegramChannelConfig> = (config, deps) => async (alerts, signal) => {
  const { text, cut } = renderTelegram(alerts);
  const payload = { chat_id: config.chat, text, disable_web_page_preview: true };
  const outcome = await postJson(`${config.api}/bot${config.token}/sendMessage`, payload, {}, signal);
  const finding = telegramFinding(config, outcome, cut, deps.clock.now());
  // A self-hosted server or a proxy may quote the request path in its description.
  return hideSecrets(finding, telegramSecrets(config));
};

/** What no result may show: the token, and the request path's `bot<token>` as a whole. */
export const telegramSecrets = (config: TelegramChannelConfig): string[] => [config.token, `bot${config.token}`];

/** The title, a blank line, the body; the body is cut to fit Telegram's limit, with a marker saying so. */
export function renderTelegram(alerts: readonly Alert[]): { text: string; cut: number } {
  const rendered = renderText(alerts);
  const title = fitText(rendered.title, { limit: TITLE_LIMIT, marker: ellipsis }).text;
  const heading = `${title}\n\n`;
  const body = fitText(rendered.body, { limit: TELEGRAM_TEXT_LIMIT - heading.length });
  return { text: heading + body.text, cut: body.cut };
}

/** What the answer means: sent, worth retrying (429, 5xx, the network), or refused until the config changes. */
function telegramFinding(config: TelegramChannelConfig, outcome: HttpOutcome, cut: number, now: number): SendFinding {
  const api = originOf(config.api);
  const evidence: Record<string, unknown> = { api, chat: config.chat, ...(cut > 0 ? { cut } : {}) };
  if (outcome.kind === "aborted") return { ok: false, summary: `Cannot send to Telegram at "${api}" as it did not answer in time`, evidence, cause: "timed out" };
  if (outcome.kind === "unreachable") return { ok: false, summary: `Cannot send to Telegram at "${api}" as ${outcome.cause}`, evidence, cause: outcome.cause };
  const answer = parseBotAnswer(outcome.body);
  const { status } = outcome;
  evidence.status = status;
  const messageId = (answer?.result as { message_id?: unknown } | undefined)?.message_id;
  if (status >= 200 && status <= 299 && answer?.ok === true) {
    const shortened = cut > 0 ? `, cut by ${cut} characters to Telegram's limit` : "";
    return { ok: true, summary: `Sent to Telegram chat "${config.chat}" (message ${String(messageId)})${shortened}`, evidence: { ...evidence, messageId } };
  }
  if (status >= 200 && status <= 299) {
    return { ok: false, permanent: true, summary: `Cannot send to Telegram at "${api}" as its answer (${status}) is not the Bot API's: check \`api\``, evidence };
  }
  const description = describeBotAnswer(answer, outcome.statusText);
  evidence.description = description;
  const failed = `Cannot send to Telegram chat "${config.chat}" as it answered ${status}${description === "" ? "" : ` ${description}`}`;
  if (status === 429) {
    const retryAfter = answer?.parameters?.retry_after;
    const retryAfterMs = typeof retryAfter === "number" && retryAfter >= 0 ? retryAfter * 1000 : parseRetryAfter(outcome.headers["retry-after"] ?? null, now);
    return { ok: false, summary: failed, evidence, cause: description, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status === 408 || status >= 500) return { ok: false, summary: failed, evidence, cause: description };
  return { ok: false, permanent: true, summary: `${failed}${hint(config, status, answer)}`, evidence, cause: description };
}

/** What to change, for the refusals that have a usual reason. */
function hint(config: TelegramChannelConfig, status: number, answer: BotApiAnswer | undefined): string {
  if (status === 401 || status === 404) return "; the bot token was refused (check `token`)";
  if (status === 403) return `; the bot may not write to chat "${config.chat}" (add it to the chat, or unblock it)`;
  const movedTo = answer?.parameters?.migrate_to_chat_id;
  if (typeof movedTo === "number") return `; the group is now chat "${movedTo}" (set \`chat\` to it)`;
  if (status >= 300 && status <= 399) return "; a redirect is not followed (check `api`)";
  return "";
}

/** Telegram's description (`Bad Request: chat not found`), else the status text, on one short line. */
export function describeBotAnswer(answer: BotApiAnswer | undefined, statusText: string): string {
  const text = typeof answer?.description === "string" && answer.description.trim() !== "" ? answer.description : statusText;
  return fitText(text.replace(/\s+/g, " ").trim(), { limit: DESCRIPTION_LIMIT, marker: ellipsis }).text;
}

/** The Bot API's answer; undefined when the body is no JSON object (a proxy's error page). */
export function parseBotAnswer(body: string): BotApiAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null ? (parsed as BotApiAnswer) : undefined;
  } catch {
    return undefined;
  }
}
