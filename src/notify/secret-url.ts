/**
 * A secret URL (an incoming webhook's path holds its key, a Bot API URL holds the token, a
 * dead-man's switch's push URL holds the monitor's key) as results and messages may show it:
 * its origin and nothing else.
 */

/** `https://hooks.slack.com` for `https://hooks.slack.com/services/T0/B0/key`; `(hidden)` when it does not parse (nothing of it is shown). */
export function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : "(hidden)";
}

/** The parts of `url` beyond its origin, as `hideSecrets` takes them: the path and query, together and apart. */
export function urlSecrets(url: string): string[] {
  if (!URL.canParse(url)) return [url];
  const parsed = new URL(url);
  return [url, parsed.href, parsed.pathname + parsed.search, parsed.pathname, parsed.search, parsed.hash, parsed.username, parsed.password]
    .filter((part) => part.length > 1);
}
