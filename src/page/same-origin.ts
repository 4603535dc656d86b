import type { HttpRequest } from "../http/exchange.js";
import { isOverTls } from "./cookie.js";

/**
 * Whether a form post comes from a page of this Lifeguard: its `Origin` header, else its
 * `Referer`'s origin, must be the origin the browser reached Lifeguard at (`Host`, over TLS or
 * not) or the address it listens on. A request with neither header passes here: some privacy
 * settings drop both, and the anti-forgery token still decides. `Origin: null` (a sandboxed or
 * privacy-stripped page) does not pass.
 */
export function isSameOrigin(request: HttpRequest): boolean {
  const origin = request.header("origin");
  const referer = request.header("referer");
  if (origin === null && referer === null) return true;
  const claimed = origin ?? originOf(referer as string);
  if (claimed === null) return false;
  const host = request.header("host");
  const served = [request.url.origin, ...(host === null ? [] : [`${isOverTls(request) ? "https" : "http"}://${host.toLowerCase()}`])];
  return served.includes(claimed.toLowerCase());
}

function originOf(url: string): string | null {
  try {
    const { origin } = new URL(url);
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}
