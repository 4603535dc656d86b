import { backoffDelay } from "../../core/backoff.js";
import { formatDuration } from "../../core/duration.js";
import type { LogTag } from "../../core/logger.js";
import { describeBotApiFailure, type BotApiOutcome } from "./bot-api.js";

/** Waits between failed reads: 1s, doubling, at most 30s (a read every 30s while Telegram is down costs nothing). */
export const RETRY = { initialMs: 1000, maxMs: 30_000 };

export interface LogLine {
  tag: LogTag;
  message: string;
}

/** What a failed read means: what to log (null: nothing new to say) and how long to wait before the next; null: stop reading. */
export interface FailedRead {
  log: LogLine | null;
  waitMs: number | null;
}

/**
 * The state of one channel's reader of commands, told in the log once: the first failure of a kind
 * (the network however it fails, a 409, a 5xx), not each retry, and once more when a read works again. A refused
 * token (401, 404) stops it: retrying cannot help until the config changes.
 */
export function createPollTrouble(what: string) {
  let failures = 0;
  let since: number | null = null;
  let said: string | null = null;
  return {
    /** True from a failure until a read works again. */
    isFailing: (): boolean => since !== null,
    failed(outcome: Exclude<BotApiOutcome, { kind: "ok" | "aborted" }>, now: number): FailedRead {
      failures += 1;
      since ??= now;
      const refused = outcome.kind === "refused" ? outcome.status : null;
      if (refused === 401 || refused === 404) {
        return { log: { tag: "ERROR", message: `Cannot read ${what} as ${describeBotApiFailure(outcome)}; the bot token was refused (check \`token\`): commands stay off until Lifeguard reloads or restarts` }, waitMs: null };
      }
      const waitMs = Math.max(backoffDelay(failures, RETRY), outcome.kind === "refused" ? (outcome.retryAfterMs ?? 0) : 0);
      const message = `Cannot read ${what} as ${describeBotApiFailure(outcome)}${refused === 409 ? CONFLICT_HINT : ""}; trying again, at least every ${formatDuration(RETRY.maxMs)}`;
      // The network is one trouble however it fails (a reset, then refused connections); a 429's own wait changes with each answer.
      const kind = outcome.kind === "refused" ? message.replace(/retry after \d+/g, "") : "the network";
      if (kind === said) return { log: null, waitMs };
      said = kind;
      return { log: { tag: "WARN", message }, waitMs };
    },
    recovered(now: number): LogLine | null {
      const after = since;
      failures = 0;
      since = null;
      said = null;
      if (after === null) return null;
      return { tag: "INFO", message: `Reading ${what} again, after ${formatDuration(Math.max(0, now - after))} of failures` };
    },
  };
}

/** 409: Telegram gives a bot's updates to one reader at a time (or to its webhook). */
const CONFLICT_HINT = " (another program reads this bot's updates: Telegram gives them to one reader; stop the other one, maybe another Lifeguard taking commands with this bot, or delete the bot's webhook)";
