/**
 * A secret URL (an incoming webhook's path holds its key, a Bot API URL holds the token, a
 * dead-man's switch's push URL holds the monitor's key) as results and messages may show it:
 * its origin and nothing else.
 */

const HIDDEN = "(hidden)";

/** `https://hooks.slack.com` for `https://hooks.slack.com/services/T0/B0/key`; `(hidden)` when it does not parse (nothing of it is shown). */
export function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : HIDDEN;
}

/** The parts of `url` beyond its origin, as `hideSecrets` takes them: the path and query, together and apart. */
export function urlSecrets(url: string): string[] {
  if (!URL.canParse(url)) return [url];
  const parsed = new URL(url);
  return [url, parsed.href, parsed.pathname + parsed.search, parsed.pathname, parsed.search, parsed.hash, parsed.username, parsed.password]
    .filter((part) => part.length > 1);
}

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
