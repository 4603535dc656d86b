/** Evidence keeps log lines short: a bot's line can be megabytes. */
export const EVIDENCE_LINE_CHARS = 200;

/** Cuts `text` to at most `max` characters, ending with `…` when cut, never inside a surrogate pair. */
export function shortenLine(text: string, max = EVIDENCE_LINE_CHARS): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
