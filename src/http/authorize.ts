import { errorResponse } from "./json-response.js";
import { readPresentedToken, tokensEqual } from "./token.js";

/**
 * Null when the request presents the configured token; else the answer that refuses it:
 * 403 when no token is configured (the endpoint is off), 401 when the token is missing or
 * wrong. The answers name where the token was read from, never the token.
 * `pathToken` is the token of a `/ping/TOKEN/NAME` path; it replaces the header and query.
 */
export function authorize(request: Request, url: URL, token: string | null, what: string, pathToken?: string): Response | null {
  if (token === null || token === "") {
    return errorResponse(403, `Cannot accept ${what} as no token is set: set http.token in the config, e.g. "token: \${LIFEGUARD_TOKEN}"`);
  }
  const presented = pathToken === undefined ? readPresentedToken(request, url) : { token: pathToken, source: "path" as const };
  if (presented === null) {
    return errorResponse(401, `Cannot accept ${what} without the token: send "Authorization: Bearer TOKEN" or add "?token=TOKEN"`, {
      "www-authenticate": 'Bearer realm="lifeguard"',
    });
  }
  if (tokensEqual(presented.token, token)) return null;
  return errorResponse(401, `Cannot accept ${what} as the token does not match (${SOURCES[presented.source]})`, {
    "www-authenticate": 'Bearer realm="lifeguard", error="invalid_token"',
  });
}

const SOURCES = {
  header: "read from the Authorization header",
  query: 'read from the "token" query parameter',
  path: "the path was read as /ping/TOKEN/NAME",
} as const;
