import type { HttpAnswer } from "../http/exchange.js";
import { textResponse } from "../http/json-response.js";
import { lazyCrypto } from "../process/lazy-crypto.js";
import { PAGE_STYLE } from "./page-style.js";

let policy: string | undefined;

/**
 * The page's Content-Security-Policy: nothing loads from anywhere, no script runs at all, the one
 * style sheet is the page's own (by its hash), forms post only here, and no other site may frame
 * the page (a framed confirmation button could be clicked through a decoy). Were an escape ever
 * missed, injected markup could still run nothing.
 */
function securityPolicy(): string {
  policy ??= [
    "default-src 'none'",
    `style-src 'sha256-${lazyCrypto().createHash("sha256").update(PAGE_STYLE, "utf8").digest("base64")}'`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
  return policy;
}

function pageHeaders(): Record<string, string> {
  return { "content-security-policy": securityPolicy(), "x-frame-options": "DENY", "referrer-policy": "same-origin" };
}

/** An HTML answer of the page. */
export function htmlAnswer(status: number, document: string, headers: Record<string, string> = {}): HttpAnswer {
  return textResponse(status, document, "text/html; charset=utf-8", { ...pageHeaders(), ...headers });
}

/** 303 See Other: after a form's post, the browser gets `location` (a reload does not post again). */
export function seeOther(location: string, headers: Record<string, string> = {}): HttpAnswer {
  return textResponse(303, "", "text/plain; charset=utf-8", { ...pageHeaders(), location, ...headers });
}
