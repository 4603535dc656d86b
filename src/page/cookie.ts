import type { HttpRequest } from "../http/exchange.js";

/**
 * The session cookie's name. Browsers share a host's cookies among its ports: two Lifeguards on
 * one machine (each its own token) would overwrite each other's sign-in under one name.
 */
export function sessionCookieName(request: HttpRequest): string {
  return `lifeguard-session-${request.url.port === "" ? "80" : request.url.port}`;
}

/** The value of cookie `name` in the request's `Cookie` header; null when it is absent. */
export function readCookie(request: HttpRequest, name: string): string | null {
  for (const pair of (request.header("cookie") ?? "").split(";")) {
    const equals = pair.indexOf("=");
    if (equals !== -1 && pair.slice(0, equals).trim() === name) return pair.slice(equals + 1).trim();
  }
  return null;
}

/**
 * Whether the browser reached Lifeguard over TLS. Lifeguard serves plain HTTP (meant for
 * loopback); a TLS proxy in front of it says so in `X-Forwarded-Proto`. Believing the header can
 * only make the cookie stricter (`Secure`) and the origin check expect `https:`.
 */
export function isOverTls(request: HttpRequest): boolean {
  return request.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

/**
 * The `Set-Cookie` value of the session: `HttpOnly` (no script reads it), `SameSite=Strict` (no
 * other site's page sends it), `Path=/`, `Secure` over TLS; `value` null deletes it.
 */
export function sessionCookie(request: HttpRequest, value: string | null, maxAgeMs: number): string {
  const age = value === null ? 0 : Math.floor(maxAgeMs / 1000);
  return `${sessionCookieName(request)}=${value ?? ""}; Max-Age=${age}; Path=/; HttpOnly; SameSite=Strict${isOverTls(request) ? "; Secure" : ""}`;
}
