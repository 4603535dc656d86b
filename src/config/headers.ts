import { z } from "zod";
import { secretText } from "./fields.js";
import { describeValue } from "./messages.js";

/** An HTTP header name: a token of RFC 9110. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `headers: { Authorization: "Bearer ${TOKEN}" }`: sent with every request; the values are secrets. */
export function headers(description: string) {
  const name = z.string().regex(HEADER_NAME, { error: (issue) => `expected an HTTP header name (letters, digits and "-"), got ${describeValue(issue.input)}` });
  return z.record(name, secretText("A header value; a secret, never shown.")).prefault({}).describe(description);
}
