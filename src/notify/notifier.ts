import { lifeguardCommand } from "../core/cli-command.js";
import type { Alert } from "../core/alert.js";
import type { Clock } from "../core/clock.js";
import { formatDuration } from "../core/duration.js";
import type { Logger, LogTag } from "../core/logger.js";
import type { ClaimedAlert, Outbox, Settlement } from "../core/outbox.js";
import type { AlertingConfig, ChannelCommon } from "../config/types.js";
import type { Channel, Delivery } from "./channel.js";
import { retryDelay } from "./retry-after.js";

/** At most this many alerts go out as one digest; the rest follow in the next one. */
export const DIGEST_LIMIT = 20;
/**
 * A claim outlives the channel's timeout (which aborts the attempt) by this much; a Lifeguard
 * killed mid-attempt leaves its claim, which the next one takes over after this.
 */
const CLAIM_MARGIN_MS = 5000;
/** The daemon looks at the outbox at least this often (another process may have queued alerts) ... */
const MAX_IDLE_MS = 60_000;
/** ... and at most this often, whatever the due times say. */
const MIN_IDLE_MS = 1000;

export interface NotifierOptions {
  outbox: Outbox;
  /** The bounded channels, and their config (failover). */
  channels: ReadonlyArray<{ channel: Channel; config: ChannelCommon }>;
  alerting: AlertingConfig;
  clock: Clock;
  logger: Logger;
  /** Who claims (`pid@host`): a claim of a dead process runs out and is taken again. */
  owner: string;
  /** What the advice in its log lines carries to work as printed (`lifeguard test-alert NAME -c FILE`): LifeguardConfig.cliAddress. */
  cliAddress?: readonly string[];
}

/** What one flush did, per channel: for `check` and tests. */
export interface FlushReport {
  deliveries: Delivery[];
  expired: Alert[];
}

/** Delivers the outbox: each channel on its own, so one that fails or hangs never delays another. */
export interface Notifier {
  /** Sends what is due now on every channel, batch after batch, until nothing is due or a channel fails. */
  flush(signal: AbortSignal): Promise<FlushReport>;
  /** The daemon's loop: flushes whenever something comes due or `wake` is called, until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** New alerts were queued: look now. */
  wake(): void;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { outbox, clock } = options;
  const names = options.channels.map(({ config }) => config.name);
  let wakeUp: (() => void) | null = null;
  let woken = false;

  const flush = async (signal: AbortSignal): Promise<FlushReport> => {
    const reports = await Promise.all(options.channels.map((entry) => flushGuarded(entry, options, signal)));
    return { deliveries: reports.flatMap((report) => report.deliveries), expired: reports.flatMap((report) => report.expired) };
  };

  const sleep = (signal: AbortSignal): Promise<void> => {
    const next = outbox.nextDueAt(names);
    const waitMs = Math.min(MAX_IDLE_MS, Math.max(MIN_IDLE_MS, next === null ? MAX_IDLE_MS : next - clock.now()));
    return new Promise((resolve) => {
      const done = (): void => {
        cancel();
        signal.removeEventListener("abort", done);
        wakeUp = null;
        resolve();
      };
      const cancel = clock.setTimer(waitMs, done);
      signal.addEventListener("abort", done, { once: true });
      wakeUp = done;
    });
  };

  return {
    flush,
    run: async (signal) => {
      while (!signal.aborted) {
        woken = false;
        await flush(signal);
        if (!woken && !signal.aborted) await sleep(signal);
      }
    },
    wake: () => {
      woken = true;
      wakeUp?.();
    },
  };
}

/** A channel's flush that never throws: a store that cannot be read or written now is logged, and tried again at the next flush. */
async function flushGuarded(entry: { channel: Channel; config: ChannelCommon }, options: NotifierOptions, signal: AbortSignal): Promise<FlushReport> {
  try {
    return await flushChannel(entry, options, signal);
  } catch (error) {
    options.logger.write({
      at: options.clock.now(), tag: "ERROR", data: { channel: entry.config.name },
      message: `Cannot deliver the alerts of "${entry.config.name}" now as ${error instanceof Error ? error.message : String(error)}; they stay in the outbox`,
    });
    return { deliveries: [], expired: [] };
  }
}

async function flushChannel(entry: { channel: Channel; config: ChannelCommon }, options: NotifierOptions, signal: AbortSignal): Promise<FlushReport> {
  const { channel, config } = entry;
  const report: FlushReport = { deliveries: [], expired: [] };
  while (!signal.aborted) {
    const now = options.clock.now();
    const { claimed, expired } = options.outbox.claimDue(config.name, now, { leaseMs: config.timeoutMs + CLAIM_MARGIN_MS, limit: DIGEST_LIMIT, owner: options.owner });
    for (const alert of expired) logExpired(options, config, alert);
    report.expired.push(...expired);
    if (claimed.length === 0) break;
    const delivery = await channel.send(claimed.map(withRepeats), signal);
    report.deliveries.push(delivery);
    if (signal.aborted && !delivery.ok) {
      // Stopping mid-attempt: the claim runs out and the next start sends them; no failure counted.
      break;
    }
    const settledAt = options.clock.now();
    const settlement = settlementOf(delivery, claimed, config, options, settledAt);
    options.outbox.settle(config.name, claimed.map((item) => item.rowId), settlement, settledAt, options.owner);
    logDelivery(options, config, claimed, delivery, settlement, settledAt);
    if (settlement.outcome !== "sent") break;
  }
  return report;
}

/** An alert that stood for identical ones (deduplicated) says so. */
function withRepeats(claimed: ClaimedAlert): Alert {
  if (claimed.repeats === 0) return claimed.alert;
  return { ...claimed.alert, details: [...claimed.alert.details, `Happened ${claimed.repeats + 1} times (identical alerts folded into this one)`] };
}

/** Sent; or handed to the failover channel; or failed for good; or tried again after the receiver's wait or the backoff. */
function settlementOf(delivery: Delivery, claimed: readonly ClaimedAlert[], config: ChannelCommon, options: NotifierOptions, now: number): Settlement {
  if (delivery.ok) return { outcome: "sent" };
  const error = delivery.summary;
  const firstFailedAt = Math.min(now, ...claimed.map((item) => item.firstFailedAt ?? now));
  if (config.failover !== null && (delivery.permanent || now - firstFailedAt >= config.failoverAfterMs)) return { outcome: "handed-over", error, to: config.failover };
  if (delivery.permanent) return { outcome: "failed", error };
  const attempts = Math.max(...claimed.map((item) => item.attempts)) + 1;
  return { outcome: "retry", error, retryAt: now + retryDelay(attempts, delivery.retryAfterMs, options.alerting.retry) };
}

function logDelivery(options: NotifierOptions, config: ChannelCommon, claimed: readonly ClaimedAlert[], delivery: Delivery, settlement: Settlement, at: number): void {
  const what = claimed.length === 1 ? `alert "${claimed[0]?.alert.title ?? ""}"` : `${claimed.length} alerts as one digest`;
  const service = claimed.length === 1 ? (claimed[0]?.alert.service ?? undefined) : undefined;
  const write = (tag: LogTag, message: string): void =>
    options.logger.write({ at, tag, message, ...(service === undefined ? {} : { service }), data: { channel: config.name, alerts: claimed.map((item) => item.alert.id) } });
  switch (settlement.outcome) {
    case "sent":
      return write("INFO", `Sent ${what} to "${config.name}"`);
    case "retry":
      return write("WARN", `${delivery.summary}; ${what} will be sent again in ${formatDuration(settlement.retryAt - at)}`);
    case "failed":
      return write("ERROR", `${delivery.summary}; ${what} will not be sent to "${config.name}" (fix the channel, then "${lifeguardCommand(["test-alert", config.name, ...(options.cliAddress ?? [])])}")`);
    case "handed-over":
      return write("WARN", `${delivery.summary}; ${what} handed over to "${settlement.to}" (failover)`);
  }
}

function logExpired(options: NotifierOptions, config: ChannelCommon, alert: Alert): void {
  options.logger.write({
    at: options.clock.now(), tag: "ERROR", ...(alert.service === null ? {} : { service: alert.service }),
    message: `Dropped alert "${alert.title}" for "${config.name}" as it could not be delivered within ${formatDuration(options.alerting.expireMs)} (alerting.expire)`,
    data: { channel: config.name, alert: alert.id },
  });
}
