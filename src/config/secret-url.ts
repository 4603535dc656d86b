import { z } from "zod";
import { markSecret } from "./fields.js";
import { quote } from "./messages.js";

const EXPECTED = "an http:// or https:// URL";
const HIDDEN = "(the URL is not shown)";

/**
 * An http(s) URL that is a secret, such as a monitor's push URL (its path or query holds the
 * key). No message ever repeats it, not even in part: at most its scheme. Described here, as
 * `.describe()` would return an unmarked copy.
 */
export function secretUrl(description: string) {
  const schema = z
    .string({ error: (issue) => (issue.input === undefined ? `missing required key; expected ${EXPECTED}` : `expected ${EXPECTED}, got ${describeKind(issue.input)}`) })
    .check((context) => {
      const problem = urlProblem(context.value);
      if (problem !== undefined) context.issues.push({ code: "custom", input: "(not shown)", message: problem });
    })
    .describe(description);
  return markSecret(schema);
}

/** What is wrong with `text` as a secret URL, as a whole message that never quotes it; undefined when it is fine. */
export function urlProblem(text: string): string | undefined {
  if (text.trim() === "") return `expected ${EXPECTED}, got an empty one`;
  const scheme = /^\s*([A-Za-z][A-Za-z0-9+.-]*:)/.exec(text)?.[1];
  if (scheme === undefined) return `expected ${EXPECTED}, got one without a scheme; write "https://" in front ${HIDDEN}`;
  if (!URL.canParse(text)) return `expected ${EXPECTED}, got one that does not parse as a URL ${HIDDEN}`;
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") return `expected ${EXPECTED}, got one with the scheme ${quote(scheme)} ${HIDDEN}`;
  // Credentials in a URL end up quoted whole by messages and proxies; headers keep them out.
  if (url.username !== "" || url.password !== "") return `expected ${EXPECTED} without a user name or password (a secret belongs in the path or a header), got one with them ${HIDDEN}`;
  return undefined;
}

/** What a value of the wrong type is, without the value. */
function describeKind(value: unknown): string {
  if (value === null) return "an empty value";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "true or false";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a map" : `a ${typeof value}`;
}
