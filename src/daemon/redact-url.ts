/**
 * A secret URL (a push URL holds its key in the path or query) shown safely: its origin,
 * `scheme://host[:port]`, and never the rest.
 */

import { originOf } from "../notify/secret-url.js";

const HIDDEN = "(hidden)";

export { originOf };

/**
 * `text` (an error message from fetch, say) with every trace of the secret URL replaced: the URL
 * as written and as parsed become its origin, its path, query and fragment `(hidden)`.
 */
export function redactUrl(text: string, url: string): string {
  const origin = originOf(url);
  let result = text.split(url).join(origin);
  if (!URL.canParse(url)) return result;
  const parsed = new URL(url);
  result = result.split(parsed.href).join(origin);
  const secrets = [parsed.pathname + parsed.search + parsed.hash, parsed.pathname, parsed.search, parsed.hash, parsed.username, parsed.password]
    .filter((part) => part.length > 1)
    .sort((a, b) => b.length - a.length);
  for (const secret of secrets) result = result.split(secret).join(HIDDEN);
  return result;
}
