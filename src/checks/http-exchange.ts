import type { HttpCheckConfig } from "../config/types.js";
import { VERSION } from "../core/version.js";
import { lowerCaseNames } from "../process/http-post.js";
import { sendRequest, type OutboundAnswer } from "../process/http-request.js";

/** Redirects followed at most, with `follow-redirects`; one more is a failure. */
export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** How far one request got: what the timeout explains (`GET ... sent no answer within 5s`). */
export type ExchangeStage = "connecting" | "connected" | "answered";

/** The last answer and where it came from, or what stopped the request. */
export type Exchange =
  | { kind: "answered"; answer: OutboundAnswer; url: string; redirects: number }
  | { kind: "failed"; error: unknown; url: string }
  | { kind: "too-many-redirects"; url: string };

/**
 * The check's request, and with `follow-redirects` the requests its redirects ask for (a 303
 * turns a GET into a GET, a HEAD stays a HEAD; the headers are not sent to another origin, as
 * they may hold a token). The body is read up to `maxBodyBytes`; `onStage` hears each step.
 */
export async function exchange(config: HttpCheckConfig, maxBodyBytes: number, signal: AbortSignal, onStage: (stage: ExchangeStage, url: string) => void): Promise<Exchange> {
  const origin = new URL(config.url).origin;
  let url = config.url;
  for (let redirects = 0; ; redirects += 1) {
    const headers = { "user-agent": `lifeguard/${VERSION}`, ...(new URL(url).origin === origin ? lowerCaseNames(config.headers) : {}) };
    onStage("connecting", url);
    let answer: OutboundAnswer;
    try {
      answer = await sendRequest(url, { method: config.method, headers, signal, maxBodyBytes, onProgress: (step) => onStage(step, url), ...(config.ca === null ? {} : { ca: config.ca }) });
    } catch (error) {
      return { kind: "failed", error, url };
    }
    const next = config.followRedirects ? redirectTarget(answer, url) : undefined;
    if (next === undefined) return { kind: "answered", answer, url, redirects };
    if (redirects === MAX_REDIRECTS) return { kind: "too-many-redirects", url };
    url = next;
  }
}

/** Where a redirect points, resolved against the URL that answered; undefined for an answer that is not one. */
function redirectTarget(answer: OutboundAnswer, from: string): string | undefined {
  const location = answer.headers.location;
  if (!REDIRECTS.has(answer.status) || location === undefined || !URL.canParse(location, from)) return undefined;
  const target = new URL(location, from);
  return target.protocol === "http:" || target.protocol === "https:" ? target.href : undefined;
}
