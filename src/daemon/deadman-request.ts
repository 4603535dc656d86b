import type { Clock } from "../core/clock.js";
import { formatDuration } from "../core/duration.js";
import type { Outcome } from "../core/outcome.js";
import type { DeadmanConfig } from "../config/types.js";
import { VERSION } from "../core/version.js";
import { NETWORK_ERRORS } from "../process/http-post.js";
import { sendRequest } from "../process/http-request.js";
import { originOf, redactUrl } from "../core/secret-url.js";

/** How the switch sends its request: `sendRequest`, or a stand-in in unit tests. */
export type SendRequest = typeof sendRequest;

/** The answer's body is not needed: only its status counts. */
const MAX_BODY_BYTES = 1024;

/**
 * Requests the switch's URL once, bounded by `timeoutMs` on the clock and by `signal`. Never
 * throws: the outcome says what happened, and none of its text holds more of the URL than its
 * origin. A non-2xx answer is a failure.
 */
export async function requestDeadman(config: DeadmanConfig, deps: { clock: Clock; send: SendRequest }, signal: AbortSignal): Promise<Outcome> {
  const { clock } = deps;
  const started = clock.monotonic();
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  if (signal.aborted) forward();
  try {
    // The deadline is set before the request leaves, so a server that never answers is always bounded.
    const deadline = clock.sleep(config.timeoutMs, controller.signal).then(
      (): Result => ({ timeout: true }),
      (reason: unknown): Result => ({ error: reason }),
    );
    const result = await Promise.race([request(config, deps.send, controller.signal), deadline]);
    return toOutcome(config, result, clock.monotonic() - started);
  } finally {
    signal.removeEventListener("abort", forward);
    // Stops the deadline timer, and the request when it is still going.
    controller.abort(new DOMException("The dead-man's switch request is over", "AbortError"));
  }
}

type Result = { status: number; statusText: string } | { error: unknown } | { timeout: true };

async function request(config: DeadmanConfig, send: SendRequest, signal: AbortSignal): Promise<Result> {
  try {
    const answer = await send(config.url, { method: config.method, signal, headers: { "user-agent": `lifeguard/${VERSION}` }, maxBodyBytes: MAX_BODY_BYTES });
    return { status: answer.status, statusText: answer.statusText };
  } catch (error) {
    return { error };
  }
}

function toOutcome(config: DeadmanConfig, result: Result, durationMs: number): Outcome {
  const origin = originOf(config.url);
  const evidence = { origin, method: config.method, ...("status" in result ? { status: result.status } : {}) };
  const failed = (cause: string, timedOut = false): Outcome => ({
    ok: false, summary: `Cannot reach the dead-man's switch at "${origin}" as ${cause}`, evidence, durationMs, timedOut, cause,
  });
  if ("timeout" in result) return failed(`it did not answer within ${formatDuration(config.timeoutMs)}`, true);
  if ("error" in result) return failed(redactUrl(describeRequestError(result.error), config.url));
  const answered = redactUrl(`${result.status}${result.statusText === "" ? "" : ` ${result.statusText}`}`, config.url);
  if (result.status >= 300 && result.status <= 399) return failed(`it answered ${answered} (a redirect is not followed: set \`url\` to where it leads)`);
  if (result.status < 200 || result.status > 299) return failed(`it answered ${answered}`);
  return { ok: true, summary: `The dead-man's switch at "${origin}" answered ${answered}`, evidence, durationMs, timedOut: false };
}

/** The request's error in words: `the connection was refused (ECONNREFUSED)`; a wrapped reason is read from `cause`. */
function describeRequestError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  if (typeof code !== "string") return cause.message;
  const words = NETWORK_ERRORS[code];
  return words === undefined ? (cause.message.includes(code) ? cause.message : `${cause.message} (${code})`) : `${words} (${code})`;
}
