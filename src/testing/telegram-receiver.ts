import type { TelegramChannelConfig } from "../config/types.js";
import { behaviourQueue, startHttpReceiver, type ChannelReceiver } from "./http-receiver.js";

/** A token in the Bot API's shape; tests assert it never shows in a result. */
export const TEST_BOT_TOKEN = "123456789:AAE-s3cret-Bot-Token_xyz";
export const TEST_CHAT = "42";
const TEXT_LIMIT = 4096;

/**
 * How the fake Bot API answers a `sendMessage` with a valid token: `accept` (the real checks:
 * known chat, text of 1 to 4096 characters), `flood` (429 with `retry_after`), `fail` (any status
 * and description, e.g. 502, or 403 "Forbidden: bot was blocked by the user"), `hang` (never answers).
 */
export type TelegramBehaviour =
  | { kind: "accept" }
  | { kind: "flood"; retryAfter: number }
  | { kind: "fail"; status: number; description: string; parameters?: Record<string, unknown> }
  | { kind: "hang" };

/** A message the fake chat accepted. */
export interface TelegramMessage {
  chatId: string;
  text: string;
  messageId: number;
  /** The whole request body, for fields a test checks (disable_web_page_preview). */
  body: Record<string, unknown>;
}

/** Its `config` has the test token and chat. */
export interface TelegramReceiver extends ChannelReceiver<TelegramChannelConfig, TelegramBehaviour, TelegramMessage> {
  /** The Bot API base URL to set as `api`. */
  api: string;
}

/** A local server with the Bot API's semantics for `/bot<TOKEN>/sendMessage` (loopback, a free port). */
export async function startTelegramReceiver(options: { token?: string; chats?: string[] } = {}): Promise<TelegramReceiver> {
  const token = options.token ?? TEST_BOT_TOKEN;
  const chats = new Set(options.chats ?? [TEST_CHAT]);
  const received: TelegramMessage[] = [];
  const behaviours = behaviourQueue<TelegramBehaviour>({ kind: "accept" });
  let nextId = 1;
  const error = (code: number, description: string, parameters?: Record<string, unknown>) => ({ ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

  const http = await startHttpReceiver((request, answer) => {
    const behaviour = behaviours.next();
    if (behaviour.kind === "hang") return;
    // Any prefix: a self-hosted server may sit under a path (`api: https://example.org/telegram`).
    const method = /\/bot([^/]+)\/(\w+)$/.exec(request.path);
    if (method === null || method[2]?.toLowerCase() !== "sendmessage") return answer(404, error(404, "Not Found"));
    if (decodeURIComponent(method[1] ?? "") !== token) return answer(401, error(401, "Unauthorized"));
    if (behaviour.kind === "flood") return answer(429, error(429, `Too Many Requests: retry after ${behaviour.retryAfter}`, { retry_after: behaviour.retryAfter }));
    if (behaviour.kind === "fail") return answer(behaviour.status, error(behaviour.status, behaviour.description, behaviour.parameters));
    const body = (typeof request.body === "object" && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const chatId = String(body.chat_id ?? "");
    const text = typeof body.text === "string" ? body.text : "";
    if (!chats.has(chatId)) return answer(400, error(400, "Bad Request: chat not found"));
    if (text.trim() === "") return answer(400, error(400, "Bad Request: message text is empty"));
    if (text.length > TEXT_LIMIT) return answer(400, error(400, "Bad Request: message is too long"));
    const message = { chatId, text, messageId: nextId++, body };
    received.push(message);
    answer(200, { ok: true, result: { message_id: message.messageId, chat: { id: Number(chatId) }, date: Math.floor(Date.now() / 1000), text } });
  });

  const config = (api: string, overrides: Partial<TelegramChannelConfig> = {}): TelegramChannelConfig => ({
    type: "telegram", name: "test", timeoutMs: 10_000, failover: null, failoverAfterMs: 600_000,
    token, chat: TEST_CHAT, api, commands: null, ...overrides,
  });
  return {
    api: http.origin,
    config: (overrides) => config(http.origin, overrides),
    refusingConfig: (overrides) => config(http.refusedOrigin, overrides),
    received,
    requests: http.requests,
    behave: (...next) => behaviours.set(next),
    waitForRequests: http.waitForRequests,
    close: http.close,
  };
}
