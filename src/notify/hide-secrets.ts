import type { SendFinding } from "./channel.js";

/** Shorter values are not hidden: they would blank out ordinary words (and are no real secret). */
const MIN_SECRET_LENGTH = 4;
const HIDDEN = "[secret]";

/**
 * A finding with every occurrence of a secret (as written, URL-encoded or JSON-escaped) replaced, in the
 * summary, the cause and the evidence: a library's error may quote a URL holding a token.
 */
export function hideSecrets(finding: SendFinding, secrets: readonly string[]): SendFinding {
  const forms = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH).flatMap((secret) => [secret, encodeURIComponent(secret), encodeURI(secret), JSON.stringify(secret).slice(1, -1)]))]
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return finding;
  const hide = (text: string): string => forms.reduce((result, secret) => result.split(secret).join(HIDDEN), text);
  const evidence = JSON.parse(hide(JSON.stringify(finding.evidence))) as Record<string, unknown>;
  return {
    ...finding,
    summary: hide(finding.summary),
    evidence,
    ...(finding.cause === undefined ? {} : { cause: hide(finding.cause) }),
  };
}
