/**
 * A secret URL (an incoming webhook's path holds its key, a Bot API URL holds the token) as
 * results may show it: its origin and nothing else. The idea of src/daemon/redact-url.ts, kept
 * here so that notify/ does not import from the daemon's composition root.
 */

/** `https://hooks.slack.com` for `https://hooks.slack.com/services/T0/B0/key`; `(an invalid URL)` when it does not parse. */
export function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : "(an invalid URL)";
}

/** The parts of `url` beyond its origin, as `hideSecrets` takes them: the path and query, together and apart. */
export function urlSecrets(url: string): string[] {
  if (!URL.canParse(url)) return [url];
  const parsed = new URL(url);
  return [url, parsed.href, parsed.pathname + parsed.search, parsed.pathname, parsed.search, parsed.hash, parsed.username, parsed.password]
    .filter((part) => part.length > 1);
}
