import { z } from "zod";
import { duration, integer } from "./fields.js";

/** `alerting:`: how the outbox retries, and how noise is kept down. Every channel shares it. */
export const alerting = z
  .strictObject({
    retry: z
      .strictObject({
        initial: duration({ min: 1000 }).prefault("30s").describe("Wait after a failed delivery before trying that channel again. A receiver that names its own wait (Telegram's `retry_after`, HTTP's `Retry-After`) is waited for instead: at least 1s, at most `max`."),
        max: duration({ min: 1000 }).prefault("15m").describe("The wait doubles with each failure, up to this."),
      })
      .prefault({})
      .describe("How a channel that failed is tried again."),
    expire: duration({ min: 1000 }).prefault("24h").describe("An alert still not delivered this long after its event is dropped (and logged): news that old misleads more than it helps."),
    dedupe: duration().prefault("10m").describe("An alert identical to one of this long ago (same service, kind and reason) is not sent again. `0s`: never deduplicate."),
    flapping: z
      .strictObject({
        max: integer(1).default(4).describe("More alerts than this for one service within `per`..."),
        per: duration({ min: 1000 }).prefault("15m").describe("...and the rest are held for `per`, then go out together as one summary (again every `per` while it flaps)."),
      })
      .prefault({})
      .describe("A flapping service produces a summary, not a storm."),
    remind: duration({ min: 60_000 }).nullable().prefault(null).describe("While a service stays gave-up, remind its channels this often. Empty: no reminders."),
    lifecycle: z.boolean().default(true).describe("Alert every channel when `lifeguard run` starts and stops."),
  })
  .prefault({})
  .describe("How alerts are delivered: retries, expiry, deduplication, flapping summaries and reminders.");

/** How the outbox delivers: retries, expiry and noise control, in ms. */
export function normaliseAlerting(parsed: z.output<typeof alerting>) {
  return {
    retry: { initialMs: parsed.retry.initial, maxMs: parsed.retry.max },
    /** An alert not delivered this long after its event is dropped. */
    expireMs: parsed.expire,
    /** An identical alert (service, kind, reason) within this window is not sent again; 0: never deduplicated. */
    dedupeMs: parsed.dedupe,
    /** More than `max` alerts for one service within `perMs`: the rest are held for `perMs` and go out together as one digest. */
    flapping: { max: parsed.flapping.max, perMs: parsed.flapping.per },
    /** Remind a gave-up service's channels this often; null: never. */
    remindMs: parsed.remind,
    /** Alert every channel when `lifeguard run` starts and stops. */
    lifecycle: parsed.lifecycle,
  };
}
