import type { TelegramChannelConfig } from "../../config/types.js";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import type { UpdateOffsets } from "../../core/update-offsets.js";
import { originOf } from "../../core/secret-url.js";
import type { AskedCommand } from "./answer-command.js";
import { callBotApi, describeBotApiFailure } from "./bot-api.js";
import { fitLine } from "./fit-reply.js";
import { createPollTrouble, type LogLine } from "./poll-trouble.js";
import { describeSender, type IncomingMessage } from "./read-update.js";
import { triageUpdate } from "./triage-update.js";

/** Telegram holds a `getUpdates` this long (s) when nothing is new: one pending request, no busy loop. */
export const LONG_POLL_S = 50;
/** The request's own bound: a little longer than the long poll, so that Telegram answers first. */
const POLL_REQUEST_MS = (LONG_POLL_S + 10) * 1000;
/** Updates per answer; with Telegram's 4096-character texts they fit well within `ANSWER_BYTES`. */
const BATCH = 10;
const ANSWER_BYTES = 1024 * 1024;
/** A server that answers "nothing new" at once (a broken proxy) is asked again no sooner than this. */
const MIN_EMPTY_POLL_MS = 1000;
/** After a week without updates Telegram picks ids afresh, maybe below a kept offset: an older one is not used. */
const OFFSET_MAX_AGE_MS = 6 * 86_400_000;
/** Chats not on the allow-list are named in the log once each, up to this many. */
const STRANGERS_NAMED = 1000;

export interface PollerDeps {
  channel: TelegramChannelConfig & { commands: { chats: number[] } };
  offsets: UpdateOffsets;
  logger: Logger;
  clock: Clock;
  /** Aborts the reader: Lifeguard stops. */
  signal: AbortSignal;
  /** Carries out a command from an allowed chat; resolves with the answer. */
  answer(asked: AskedCommand): Promise<string>;
}

export interface Poller {
  /** Aborts the pending request and resolves once the reader has let go (a command in progress finished). */
  stop(): Promise<void>;
}

/**
 * Reads the commands sent to one channel's bot, by long polling `getUpdates`: one request at a
 * time, held by Telegram until something arrives (no inbound port). Each update is taken once:
 * the offset past a command is stored before it is carried out (a Lifeguard killed meanwhile does
 * not carry it out again on its start), and Telegram forgets what the next request's offset confirms.
 */
export function startCommandPoller(deps: PollerDeps): Poller {
  const stopper = new AbortController();
  const signal = AbortSignal.any([deps.signal, stopper.signal]);
  const done = readCommands(deps, signal).catch((error: unknown) => {
    deps.logger.write({ at: deps.clock.now(), tag: "ERROR", message: `Stopped reading ${describeReader(deps.channel)} as ${error instanceof Error ? error.message : String(error)}` });
  });
  return {
    stop: async () => {
      stopper.abort();
      await done;
    },
  };
}

async function readCommands(deps: PollerDeps, signal: AbortSignal): Promise<void> {
  const { channel, clock } = deps;
  const say = (line: LogLine | null): void => void (line === null ? undefined : deps.logger.write({ at: clock.now(), ...line }));
  const trouble = createPollTrouble(describeReader(channel));
  /** Says what failed (once), and waits before the next try; false: stop reading (a refused token, or Lifeguard stops). */
  const retry = async (failure: Parameters<typeof trouble.failed>[0]): Promise<boolean> => {
    const failed = trouble.failed(failure, clock.now());
    say(failed.log);
    return failed.waitMs !== null && (await pause(clock, failed.waitMs, signal));
  };
  const offset = keptOffset(deps, say);
  const allowed = new Set(channel.commands.chats);
  const strangers = new Set<number>();
  let idlessSaid = false;
  // Undefined until `getMe` says who the bot is: a command addressed to another bot is not ours.
  let bot: string | null | undefined;
  while (!signal.aborted) {
    const started = clock.monotonic();
    const outcome = bot === undefined
      ? await callBotApi(channel, "getMe", {}, { signal, timeoutMs: channel.timeoutMs })
      // After a failure a short read first: that it works again is said at once, not when a message comes.
      : await callBotApi(channel, "getUpdates", { ...offset.toSend(), timeout: trouble.isFailing() ? 0 : LONG_POLL_S, limit: BATCH, allowed_updates: ["message"] }, { signal, timeoutMs: POLL_REQUEST_MS, maxBodyBytes: ANSWER_BYTES });
    if (outcome.kind === "aborted") return;
    if (outcome.kind !== "ok") {
      if (await retry(outcome)) continue;
      return;
    }
    if (bot === undefined) {
      say(trouble.recovered(clock.now()));
      bot = userNameOf(outcome.result);
      say({ tag: "INFO", message: `Taking commands from Telegram chats ${channel.commands.chats.join(", ")} through the bot${bot === null ? "" : ` @${bot}`} (channel "${channel.name}")` });
      continue;
    }
    if (!Array.isArray(outcome.result)) {
      if (await retry({ kind: "refused", status: 200, description: "its answer holds no list of updates" })) continue;
      return;
    }
    say(trouble.recovered(clock.now()));
    const updates: unknown[] = outcome.result;
    if (updates.length === 0) {
      offset.confirmed();
      if (clock.monotonic() - started < MIN_EMPTY_POLL_MS && !(await pause(clock, MIN_EMPTY_POLL_MS, signal))) return;
      continue;
    }
    const from = offset.next();
    for (const update of updates) {
      const triage = triageUpdate(update, allowed, bot);
      if (triage.updateId !== null) offset.passed(triage.updateId);
      // One without an id is never confirmed and may come again: said once.
      if (triage.kind === "malformed" && (triage.updateId !== null || !idlessSaid)) {
        idlessSaid ||= triage.updateId === null;
        say({ tag: "WARN", message: `Skipped Telegram update ${triage.updateId ?? "(no update_id)"} of channel "${channel.name}": ${triage.problem}` });
      }
      if (triage.kind === "stranger" && !strangers.has(triage.chatId) && strangers.size < STRANGERS_NAMED) {
        strangers.add(triage.chatId);
        say({ tag: "WARN", message: `Ignored a message to the bot of channel "${channel.name}" from Telegram chat ${triage.chatId}, which is not allowed to send commands (commands.chats); later ones from it are ignored without a word` });
      }
      if (triage.kind !== "command") continue;
      // Taken once: the offset past it is kept before it is carried out.
      offset.save();
      const by = describeSender(triage.message);
      say({ tag: "INFO", message: `Telegram command from ${by}: ${fitLine(triage.message.text ?? "", 120)}` });
      await reply(deps, triage.message, by, await answerSafely(deps, { command: triage.command, by, sentAt: triage.message.sentAt }), signal);
    }
    offset.save();
    // Updates that move the offset nowhere (no update_id, or ones read already) would come back at once, for ever.
    if (offset.next() === from && !(await retry({ kind: "refused", status: 200, description: `its ${updates.length} update(s) are none past offset ${from ?? "(none)"}` }))) return;
  }
}

/** The offset: read from the store, moved past each update, saved (a failing store is said once: the reader goes on from memory). */
function keptOffset(deps: PollerDeps, say: (line: LogLine) => void) {
  const { channel, clock, offsets } = deps;
  const bot = /^(\d+):/.exec(channel.token)?.[1] ?? `channel ${channel.name}`;
  let storeFailing = false;
  const guarded = <T>(what: string, step: () => T, fallback: T): T => {
    try {
      const result = step();
      storeFailing = false;
      return result;
    } catch (error) {
      if (!storeFailing) say({ tag: "WARN", message: `Cannot ${what} the Telegram offset of channel "${channel.name}" in the store as ${error instanceof Error ? error.message : String(error)}; going on from memory` });
      storeFailing = true;
      return fallback;
    }
  };
  const kept = guarded("read", () => offsets.readUpdateOffset(bot), null);
  let next = kept !== null && clock.now() - kept.savedAt < OFFSET_MAX_AGE_MS ? kept.offset : null;
  let saved = next;
  // Once a request sent the offset, Telegram has forgotten what lies before it: later ones need none.
  let confirmed = next === null;
  return {
    toSend: (): { offset?: number } => (confirmed || next === null ? {} : { offset: next }),
    next: (): number | null => next,
    passed(updateId: number): void {
      next = Math.max(next ?? updateId + 1, updateId + 1);
      confirmed = false;
    },
    confirmed: (): void => void (confirmed = true),
    save(): void {
      if (next === null || next === saved) return;
      const value = next;
      guarded("save", () => offsets.saveUpdateOffset(bot, value, clock.now()), undefined);
      saved = value;
    },
  };
}

async function answerSafely(deps: PollerDeps, asked: AskedCommand): Promise<string> {
  try {
    return await deps.answer(asked);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    deps.logger.write({ at: deps.clock.now(), tag: "ERROR", message: `Cannot carry out the Telegram command "/${asked.command.name}" of ${asked.by} as ${why}` });
    return `Cannot carry out "/${asked.command.name}" as ${why}`;
  }
}

/** Answers in the chat the command came from, as a reply to it; plain text (no parse_mode: nothing in it is markup). */
async function reply(deps: PollerDeps, message: IncomingMessage, by: string, text: string, signal: AbortSignal): Promise<void> {
  const payload = { chat_id: message.chatId, text, disable_web_page_preview: true, reply_parameters: { message_id: message.messageId, allow_sending_without_reply: true } };
  const outcome = await callBotApi(deps.channel, "sendMessage", payload, { signal, timeoutMs: deps.channel.timeoutMs });
  if (outcome.kind === "ok" || outcome.kind === "aborted") return;
  deps.logger.write({ at: deps.clock.now(), tag: "WARN", message: `Cannot answer ${by} in Telegram as ${describeBotApiFailure(outcome)}` });
}

/** Waits `ms`; false when Lifeguard stops meanwhile. */
async function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

function userNameOf(result: unknown): string | null {
  const name = typeof result === "object" && result !== null ? (result as { username?: unknown }).username : undefined;
  return typeof name === "string" && /^[A-Za-z0-9_]{1,64}$/.test(name) ? name : null;
}

/** `the commands of Telegram channel "phone" at "https://api.telegram.org"`: the origin only, the token is in the path. */
function describeReader(channel: TelegramChannelConfig): string {
  return `the commands of Telegram channel "${channel.name}" at "${originOf(channel.api)}"`;
}
