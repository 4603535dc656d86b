/**
 * Cutting a message to a receiver's limit (Telegram's 4096, Discord's 2000, ntfy's 4096 bytes)
 * without breaking it: whole characters only (never half a surrogate pair, never half an escape
 * like `&amp;`), and a closing line that says how much is missing and where to read it.
 */

/** How a limit is counted: UTF-16 code units (Telegram, Discord, Slack) or UTF-8 bytes (ntfy). */
export type Measure = (text: string) => number;

export const utf16Units: Measure = (text) => text.length;
export const utf8Bytes: Measure = (text) => Buffer.byteLength(text, "utf8");

export interface FitOptions {
  limit: number;
  measure?: Measure;
  /** Escapes one character for the receiver's markup; the limit applies to the escaped text. */
  escape?: (char: string) => string;
  /** What ends a cut text; by default `cutMarker`, a line that counts what is missing. */
  marker?: (count: number) => string;
}

/** The end of a cut title: a title has no room for more. */
export const ellipsis = (): string => "…";

/** The line that ends a cut message; `count` is the number of characters left out. */
export function cutMarker(count: number): string {
  return `\n… (cut: ${count} more characters; see \`lifeguard history\`)`;
}

/**
 * `text` escaped and within `limit`; when too long, the longest whole-character start of it
 * that fits with the marker, then the marker. Characters are code points; `cut` counts them.
 */
export function fitText(text: string, options: FitOptions): { text: string; cut: number } {
  const { limit, measure = utf16Units, escape = (char: string) => char, marker = cutMarker } = options;
  const chars = Array.from(text);
  const pieces = chars.map(escape);
  const whole = pieces.join("");
  if (measure(whole) <= limit) return { text: whole, cut: 0 };
  // The marker for every character is the longest one the cut can need, so what is kept always fits.
  let budget = limit - measure(marker(chars.length));
  let kept = 0;
  for (const piece of pieces) {
    const size = measure(piece);
    if (size > budget) break;
    budget -= size;
    kept += 1;
  }
  const cut = chars.length - kept;
  return { text: pieces.slice(0, kept).join("") + marker(cut), cut };
}
