import type { TelegramChannelConfig } from "../config/types.js";
import { behaviourQueue, startHttpReceiver, type ChannelReceiver, type RecordedRequest } from "./http-receiver.js";
import { createUpdateQueue, type UpdateQueue } from "./telegram-updates.js";

/** A token in the Bot API's shape; tests assert it never shows in a result. */
export const TEST_BOT_TOKEN = "123456789:AAE-s3cret-Bot-Token_xyz";
export const TEST_CHAT = "42";
/** The user name `getMe` gives the test bot. */
export const TEST_BOT_NAME = "lifeguard_test_bot";
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
  /** `getUpdates`: what the bot is sent (queue updates, see the offsets, make it fail). */
  updates: UpdateQueue;
}

/**
 * A local server with the Bot API's semantics (loopback, a free port or `port`): `sendMessage` to
 * the known `chats` (`behave` sets how it answers), `getMe`, and `getUpdates` long polling (`updates`).
 */
export async function startTelegramReceiver(options: { token?: string; chats?: string[]; port?: number; firstUpdateId?: number } = {}): Promise<TelegramReceiver> {
  const token = options.token ?? TEST_BOT_TOKEN;
  const chats = new Set(options.chats ?? [TEST_CHAT]);
  const received: TelegramMessage[] = [];
  const behaviours = behaviourQueue<TelegramBehaviour>({ kind: "accept" });
  let nextId = 1;
  const error = (code: number, description: string, parameters?: Record<string, unknown>) => ({ ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

  // A server started again (the network back) goes on counting, as Telegram does.
  const updates = createUpdateQueue(options.firstUpdateId);
  const sendMessage = (request: RecordedRequest, answer: (status: number, body: unknown) => void): void => {
    const behaviour = behaviours.next();
    if (behaviour.kind === "hang") return;
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
  };

  const http = await startHttpReceiver((request, answer) => {
    // Any prefix: a self-hosted server may sit under a path (`api: https://example.org/telegram`).
    const method = /\/bot([^/]+)\/(\w+)$/.exec(request.path);
    if (method === null) return answer(404, error(404, "Not Found"));
    if (decodeURIComponent(method[1] ?? "") !== token) return answer(401, error(401, "Unauthorized"));
    switch (method[2]?.toLowerCase()) {
      case "sendmessage":
        return sendMessage(request, answer);
      case "getupdates":
        return updates.getUpdates(request.body, answer);
      case "getme":
        return answer(200, { ok: true, result: { id: Number(token.split(":")[0]), is_bot: true, first_name: "Lifeguard", username: TEST_BOT_NAME } });
      default:
        return answer(404, error(404, "Not Found"));
    }
  }, options.port === undefined ? {} : { port: options.port });

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
    updates,
    close: () => {
      updates.close();
      return http.close();
    },
  };
}
