import { z } from "zod";
import { duration } from "./fields.js";
import { secretUrl } from "./secret-url.js";

const EXPECTED = 'a map like "{ url: ${DEADMAN_URL}, interval: 1m }"';

/**
 * `deadman:`, the outbound dead-man's switch: while Lifeguard is healthy it requests `url`
 * every `interval`, so an external monitor hears when the whole box dies. Off by default.
 */
export const deadman = z
  .strictObject(
    {
      url: secretUrl(
        "The URL to request, http:// or https://: an external monitor's push or ping URL (Healthchecks, an Uptime Kuma push monitor, Cronitor...). " +
          "It holds the monitor's key, so no message, log or status shows more than its origin (scheme, host and port); write `${DEADMAN_URL}` to keep it out of the file.",
      ),
      interval: duration({ min: 1000 }).prefault("1m").describe("Time between requests while Lifeguard is healthy; at least `1s`. Give the monitor a period of this and a grace of a few intervals."),
      timeout: duration({ min: 1 }).prefault("10s").describe("How long one request may take. Requests never overlap: a slow one delays the next."),
      method: z.enum(["GET", "POST"]).default("GET").describe("The request's method; POST sends an empty body."),
    },
    // The value may be the URL itself, written where the map belongs: it is not shown.
    { error: (issue) => (issue.code === "invalid_type" && typeof issue.input === "string" ? `expected ${EXPECTED}, got a string (the value is not shown)` : undefined) },
  )
  .nullable()
  .prefault(null)
  .describe("The outbound dead-man's switch of `lifeguard run`: while Lifeguard is healthy (every service's loop makes progress and the store answers) it requests `url` every `interval`, so an external monitor alerts when it hears nothing: the box, its network or Lifeguard is down. Empty: off.");

/** The outbound dead-man's switch, in ms; null: none. */
export function normaliseDeadman(parsed: z.output<typeof deadman>) {
  if (parsed === null) return null;
  return {
    /** A secret (a push URL holds the monitor's key): never in a message, a log or the status; show its origin at most. */
    url: parsed.url,
    intervalMs: parsed.interval,
    /** Bound on one request; a slow request delays the next, requests never overlap. */
    timeoutMs: parsed.timeout,
    method: parsed.method,
  };
}
