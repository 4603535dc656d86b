/** A result a secret may have crept into: a channel's delivery, a check's finding. */
interface Reported {
  summary: string;
  evidence: Record<string, unknown>;
  cause?: string;
}

/** Shorter values are not hidden: they would blank out ordinary words (and are no real secret). */
const MIN_SECRET_LENGTH = 4;
const HIDDEN = "[secret]";

/**
 * A finding with every occurrence of a secret (as written, URL-encoded or JSON-escaped) replaced, in the
 * summary, the cause and the evidence: a library's error may quote a URL holding a token, a server may echo a header.
 */
export function hideSecrets<Result extends Reported>(finding: Result, secrets: readonly string[]): Result {
  const forms = [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH).flatMap((secret) => [secret, encodeURIComponent(secret), encodeURI(secret), JSON.stringify(secret).slice(1, -1)]))]
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return finding;
  // One pass, longest form first: a shorter secret never matches inside a longer one or inside a marker.
  const pattern = new RegExp(forms.map(escapeRegExp).join("|"), "g");
  const hide = (text: string): string => text.replace(pattern, HIDDEN);
  // As JSON, then string by string: a secret of digits must not cut into a number and break the JSON.
  const evidence = hideStrings(JSON.parse(JSON.stringify(finding.evidence)) as unknown, hide) as Record<string, unknown>;
  return {
    ...finding,
    summary: hide(finding.summary),
    evidence,
    ...(finding.cause === undefined ? {} : { cause: hide(finding.cause) }),
  };
}

/** Every string of a JSON value, keys included, passed through `hide`; numbers and the rest as they are. */
function hideStrings(value: unknown, hide: (text: string) => string): unknown {
  if (typeof value === "string") return hide(value);
  if (Array.isArray(value)) return value.map((item) => hideStrings(item, hide));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [hide(key), hideStrings(item, hide)]));
  return value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
