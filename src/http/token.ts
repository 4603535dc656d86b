import { lazyCrypto } from "../process/lazy-crypto.js";
import type { HttpRequest } from "./exchange.js";

/** Hex characters of a ping key: 128 bits, as long as a healthchecks.io ping key. */
const PING_KEY_LENGTH = 32;

/**
 * Compares a presented token with the configured one in constant time. Both are hashed first
 * (SHA-256), so the comparison always runs over 32 bytes: neither the content nor the length
 * of the secret leaks through timing.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  return lazyCrypto().timingSafeEqual(digest(presented), digest(expected));
}

function digest(text: string): Buffer {
  return lazyCrypto().createHash("sha256").update(text, "utf8").digest();
}

/** Where a request's token came from, for messages; the token itself is never repeated. */
export type TokenSource = "header" | "query" | "path";

export interface PresentedToken {
  token: string;
  source: TokenSource;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The token a request presents: `Authorization: Bearer TOKEN`, else `?token=TOKEN` (for curl
 * one-liners in crontabs). A header that is present wins even when it is wrong, so a request
 * cannot carry two candidates. Null when the request presents none; an `Authorization` header
 * of another scheme counts as none.
 */
export function readPresentedToken(request: HttpRequest): PresentedToken | null {
  const header = request.header("authorization");
  if (header !== null) {
    const match = BEARER.exec(header);
    return match ? { token: match[1] as string, source: "header" } : null;
  }
  const query = request.url.searchParams.get("token");
  return query === null || query === "" ? null : { token: query, source: "query" };
}

/** Replaces every occurrence of `secret` in `text`, for messages and logs built from outside input. */
export function redactSecret(text: string, secret: string | null): string {
  return secret === null || secret === "" ? text : text.split(secret).join("[redacted]");
}

/**
 * The ping key of `service`: HMAC-SHA256(token, "ping:" + service), hex, its first 32
 * characters. It lets a service ping `/ping/KEY/NAME` for itself only, so a supervised child
 * never holds the token (which opens every endpoint and every service's pings). Derived, not
 * stored: changing the token changes every key.
 */
export function derivePingKey(token: string, service: string): string {
  return lazyCrypto().createHmac("sha256", token).update(`ping:${service}`, "utf8").digest("hex").slice(0, PING_KEY_LENGTH);
}
