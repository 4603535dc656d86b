import type { HttpAnswer, HttpRequest } from "./exchange.js";
import { errorResponse } from "./json-response.js";
import { readPresentedToken, tokensEqual } from "./token.js";

/** What else a request may be authorized by, besides the token in its header or query. */
export interface AuthorizeOptions {
  /** The token of a `/ping/TOKEN/NAME` path; it replaces the header and query. */
  pathToken?: string;
  /** A secret accepted in place of the token: the pinged service's own ping key. */
  pingKey?: string;
}

/**
 * Null when the request presents the configured token (or `pingKey`); else the answer that
 * refuses it: 403 when no token is configured (the endpoint is off), 401 when the token is
 * missing or wrong. The answers name where the token was read from, never the token.
 */
export function authorize(request: HttpRequest, token: string | null, what: string, options: AuthorizeOptions = {}): HttpAnswer | null {
  if (token === null || token === "") {
    return errorResponse(403, `Cannot accept ${what} as no token is set: set http.token in the config, e.g. "token: \${LIFEGUARD_TOKEN}"`);
  }
  const { pathToken, pingKey } = options;
  const presented = pathToken === undefined ? readPresentedToken(request) : { token: pathToken, source: "path" as const };
  if (presented === null) {
    return errorResponse(401, `Cannot accept ${what} without the token: send "Authorization: Bearer TOKEN" or add "?token=TOKEN"`, {
      "www-authenticate": 'Bearer realm="lifeguard"',
    });
  }
  // Both comparisons always run: the time taken does not tell which secret came close.
  const isToken = tokensEqual(presented.token, token);
  const isPingKey = pingKey !== undefined && tokensEqual(presented.token, pingKey);
  if (isToken || isPingKey) return null;
  const mismatch = pingKey === undefined ? "the token does not match" : "neither the token nor the service's ping key matches";
  return errorResponse(401, `Cannot accept ${what} as ${mismatch} (${SOURCES[presented.source]})`, {
    "www-authenticate": 'Bearer realm="lifeguard", error="invalid_token"',
  });
}

const SOURCES = {
  header: "read from the Authorization header",
  query: 'read from the "token" query parameter',
  path: "the path was read as /ping/TOKEN/NAME",
} as const;
