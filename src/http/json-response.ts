import type { HttpAnswer } from "./exchange.js";

/** Headers every Lifeguard answer carries: never cached, never sniffed as something else. */
const COMMON_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

/** A JSON answer; one line with a final newline, so `curl` output reads well in a terminal. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return textResponse(status, `${JSON.stringify(body)}\n`, "application/json; charset=utf-8", headers);
}

/** An error answer: `{ "error": message }`. The message never holds a secret (callers scrub it). */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): HttpAnswer {
  return jsonResponse(status, { error: message }, headers);
}

/** A plain-text answer, e.g. the Prometheus exposition format. */
export function textResponse(status: number, text: string, contentType: string, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { ...COMMON_HEADERS, "content-type": contentType, ...headers }, body: text };
}

/** The answer to a HEAD request: the same status and headers, no body. */
export function withoutBody(answer: HttpAnswer): HttpAnswer {
  return { ...answer, body: null };
}
