import type { TelegramChannelConfig } from "../../config/types.js";
import { formatDuration } from "../../core/duration.js";
import { originOf } from "../../core/secret-url.js";
import { describeBotAnswer, parseBotAnswer, telegramSecrets } from "../../notify/channels/telegram.js";
import { hideSecrets } from "../../core/hide-secrets.js";
import { postJson } from "../../process/http-post.js";

/** What one call of the Bot API came to; nothing in it holds the token. */
export type BotApiOutcome =
  | { kind: "ok"; result: unknown }
  /** Telegram (or what stands at `api`) answered, but not `ok`: its status and description, and a 429's wait. */
  | { kind: "refused"; status: number; description: string; retryAfterMs?: number }
  | { kind: "unreachable"; cause: string }
  | { kind: "timed-out"; afterMs: number }
  /** `signal` aborted it: Lifeguard stops or reloads. */
  | { kind: "aborted" };

export interface BotApiCall {
  signal: AbortSignal;
  /** The call fails as `timed-out` after this long. */
  timeoutMs: number;
  /** The answer is read up to this many bytes; 64 KiB by default. */
  maxBodyBytes?: number;
}

/**
 * Calls a Bot API method (`getMe`, `getUpdates`, `sendMessage`) of the channel's bot with a JSON
 * body, over the outbound HTTP client (never the web `fetch`, which loads undici into the daemon).
 * The token is part of the URL: what is returned names only the API's origin.
 */
export async function callBotApi(config: TelegramChannelConfig, method: string, payload: unknown, call: BotApiCall): Promise<BotApiOutcome> {
  const signal = AbortSignal.any([call.signal, AbortSignal.timeout(call.timeoutMs)]);
  const outcome = await postJson(`${config.api}/bot${config.token}/${method}`, payload, {}, signal, call.maxBodyBytes);
  if (outcome.kind === "aborted") return call.signal.aborted ? { kind: "aborted" } : { kind: "timed-out", afterMs: call.timeoutMs };
  if (outcome.kind === "unreachable") return outcome;
  const answer = parseBotAnswer(outcome.body);
  const { status } = outcome;
  if (status >= 200 && status <= 299 && answer?.ok === true) return { kind: "ok", result: answer.result };
  // A self-hosted server or a proxy may quote the request path, token and all.
  const hide = (text: string): string => hideSecrets({ ok: false, summary: text, evidence: {} }, telegramSecrets(config)).summary;
  if (answer === undefined || answer.ok === undefined) return { kind: "refused", status, description: `its answer is not the Bot API's (check \`api\`: "${originOf(config.api)}")` };
  const retryAfter = answer.parameters?.retry_after;
  const description = hide(describeBotAnswer(answer, outcome.statusText));
  return { kind: "refused", status, description, ...(typeof retryAfter === "number" && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
}

/** Why a call failed, as the rest of "Cannot ... as": `the connection was refused (ECONNREFUSED)`, `it answered 409 Conflict: ...`. */
export function describeBotApiFailure(outcome: Exclude<BotApiOutcome, { kind: "ok" }>): string {
  switch (outcome.kind) {
    case "refused":
      return `it answered ${outcome.status}${outcome.description === "" ? "" : ` ${outcome.description}`}`;
    case "unreachable":
      return outcome.cause;
    case "timed-out":
      return `it did not answer within ${formatDuration(outcome.afterMs)}`;
    case "aborted":
      return "Lifeguard stopped waiting for it";
  }
}
