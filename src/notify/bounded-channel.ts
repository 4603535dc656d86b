import type { Alert } from "../core/alert.js";
import type { Clock } from "../core/clock.js";
import { formatDuration } from "../core/duration.js";
import type { ChannelCommon } from "../config/types.js";
import type { Channel, Delivery, SendFinding, Sender } from "./channel.js";
import { hideSecrets } from "../core/hide-secrets.js";

/**
 * Wraps a sender into a Channel that never throws and never outlives the channel's `timeoutMs`
 * or the caller's signal (a webhook that hangs becomes a failed delivery with `timedOut`), and
 * whose results never carry one of `secrets`, whatever the sender or its library put there.
 */
export function createBoundedChannel(config: ChannelCommon & { type: string }, clock: Clock, sender: Sender, secrets: readonly string[]): Channel {
  return {
    name: config.name,
    type: config.type,
    send: async (alerts: readonly Alert[], signal: AbortSignal): Promise<Delivery> => {
      const started = clock.monotonic();
      const { finding, timedOut } = await settle(config, clock, sender, alerts, signal);
      const { ok, summary, evidence, cause, permanent = false, retryAfterMs } = hideSecrets(finding, secrets);
      return {
        channel: config.name, ok, summary, evidence, timedOut, permanent: ok ? false : permanent,
        durationMs: clock.monotonic() - started,
        ...(cause === undefined ? {} : { cause }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    },
  };
}

function settle(config: ChannelCommon, clock: Clock, sender: Sender, alerts: readonly Alert[], signal: AbortSignal): Promise<{ finding: SendFinding; timedOut: boolean }> {
  if (signal.aborted) return Promise.resolve({ finding: stopped(config), timedOut: false });
  const controller = new AbortController();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (finding: SendFinding, timedOut: boolean, reason?: unknown): void => {
      if (settled) return;
      settled = true;
      cancelTimer();
      signal.removeEventListener("abort", onAbort);
      if (reason !== undefined) controller.abort(reason);
      resolve({ finding, timedOut });
    };
    const onAbort = (): void => finish(stopped(config), false, signal.reason);
    const cancelTimer = clock.setTimer(config.timeoutMs, () =>
      finish(
        { ok: false, summary: `Cannot send to "${config.name}" as it did not answer within ${formatDuration(config.timeoutMs)} (timeout)`, evidence: {} },
        true,
        new DOMException(`Channel "${config.name}" timed out`, "TimeoutError"),
      ));
    signal.addEventListener("abort", onAbort, { once: true });
    void runSender(config, sender, alerts, controller.signal).then((finding) => finish(finding, false));
  });
}

async function runSender(config: ChannelCommon, sender: Sender, alerts: readonly Alert[], signal: AbortSignal): Promise<SendFinding> {
  try {
    return await sender(alerts, signal);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, summary: `Cannot send to "${config.name}": ${message}`, evidence: {}, cause: message };
  }
}

/** Lifeguard is stopping: the attempt is left for the next start, not counted against the channel. */
function stopped(config: ChannelCommon): SendFinding {
  return { ok: false, summary: `Stopped sending to "${config.name}" as Lifeguard is stopping`, evidence: {} };
}
