import type { SendFinding } from "./channel.js";
import type { HttpOutcome } from "../process/http-post.js";
import { parseRetryAfter } from "./retry-after.js";

/** How a channel that POSTs words its results. */
export interface HttpReceiverWords {
  /** `Slack at "https://hooks.slack.com"`, `Alertmanager at 127.0.0.1:9093`. */
  where: string;
  /** The summary of a delivery, given the answer (`200 OK`). */
  sent(answered: string): string;
  /** The receiver's reason on one short line, from its answer's body; "" when it gives none. */
  detail(body: string): string;
}

/**
 * The finding of one POST, as HTTP receivers mean their answers: 2xx is delivered; 408, 429 and
 * 5xx are worth retrying (after `Retry-After`); any other answer, redirects included, is refused
 * until the config changes. A timeout or an unreachable receiver is retried.
 */
export function httpFinding(outcome: HttpOutcome, words: HttpReceiverWords, evidence: Record<string, unknown>, now: number): SendFinding {
  const { where } = words;
  if (outcome.kind === "aborted") return { ok: false, summary: `Cannot send to ${where} as it did not answer in time`, evidence, cause: "timed out" };
  if (outcome.kind === "unreachable") return { ok: false, summary: `Cannot send to ${where} as ${outcome.cause}`, evidence, cause: outcome.cause };
  const { status } = outcome;
  const answered = `${status}${outcome.statusText === "" ? "" : ` ${outcome.statusText}`}`;
  const withStatus = { ...evidence, status };
  if (status >= 200 && status <= 299) return { ok: true, summary: words.sent(answered), evidence: withStatus };
  const detail = words.detail(outcome.body);
  const failed = `Cannot send to ${where} as it answered ${answered}${detail === "" ? "" : `: ${detail}`}`;
  const cause = detail === "" ? answered : detail;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(outcome.headers["retry-after"] ?? null, now);
    return { ok: false, summary: failed, evidence: withStatus, cause, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  const redirect = status >= 300 && status <= 399 ? " (a redirect is not followed: set `url` to where it leads)" : "";
  return { ok: false, permanent: true, summary: `${failed}${redirect}`, evidence: withStatus, cause };
}
