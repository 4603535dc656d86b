import type { Alert } from "../core/alert.js";
import type { Clock } from "../core/clock.js";
import type { Outcome } from "../core/outcome.js";

/**
 * What a channel's sender found, before the shared wrapper (`createBoundedChannel`) adds the
 * times, bounds it by the channel's timeout and hides the channel's secrets.
 */
export interface SendFinding {
  ok: boolean;
  /** One sentence: `Sent to chat "42" (message 17)`, `Cannot send to Telegram as it answered 401 Unauthorized: ...`. */
  summary: string;
  evidence: Record<string, unknown>;
  cause?: string;
  /**
   * Trying again cannot help until the config changes (a 400, a 401, an unknown chat, a program
   * that does not exist): the alert is not retried on this channel (failover may take it).
   */
  permanent?: boolean;
  /** The receiver asked to wait this long before the next attempt (Telegram's `retry_after`, HTTP `Retry-After`). */
  retryAfterMs?: number;
}

/**
 * Delivers one alert, or several as one digest (oldest first). Rejects or hangs at worst: the
 * wrapper turns both into a failed delivery. Must let go when `signal` aborts (the timeout).
 */
export type Sender = (alerts: readonly Alert[], signal: AbortSignal) => Promise<SendFinding>;

/** What senders may use. */
export interface ChannelDeps {
  clock: Clock;
}

/** Builds the sender of one channel type from its validated config. */
export type SenderFactory<Config> = (config: Config, deps: ChannelDeps) => Sender;

/** The result of one delivery attempt: the shared outcome shape, plus whether and when to retry. */
export interface Delivery extends Outcome {
  channel: string;
  permanent: boolean;
  retryAfterMs?: number;
}

/** A channel as the notifier uses it: bounded, never throwing, secrets already hidden from its results. */
export interface Channel {
  readonly name: string;
  readonly type: string;
  send(alerts: readonly Alert[], signal: AbortSignal): Promise<Delivery>;
}
