/**
 * Just enough of MIME to read what Lifeguard sends (a single text/plain part, utf-8): headers
 * unfolded and their encoded words decoded, the body decoded from quoted-printable or base64.
 * Not a general mail parser; tests compare what they read with what was rendered.
 */
export interface ParsedEmail {
  /** Lower-case names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  subject: string;
  body: string;
}

export function parseEmail(raw: string): ParsedEmail {
  const text = raw.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const rawBody = split === -1 ? "" : text.slice(split + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const body = decodeBody(rawBody, (headers["content-transfer-encoding"] ?? "7bit").toLowerCase());
  return { headers, subject: headers["subject"] ?? "", body: body.replace(/\n$/, "") };
}

/** RFC 2047 words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`); the space between two words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, data: string) =>
      encoding.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : decodeQuotedPrintable(data.replace(/_/g, " ")));
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body.replace(/=\n/g, ""));
  return body;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] ?? "", "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
