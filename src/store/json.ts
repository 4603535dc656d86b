/** JSON as the store writes it: canonical for comparison, bounded in size, never throwing. */

/** Evidence and event data above this size are cut: one runaway log line must not fill an SD card. */
export const MAX_JSON_BYTES = 64 * 1024;
const PREVIEW_CHARS = 4096;

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? "null";
}

/**
 * JSON for a free-form column. Values that cannot be serialised (cycles, BigInt) and values
 * larger than `maxBytes` are replaced by a small object saying so, with a preview.
 */
export function encodeJson(value: unknown, maxBytes = MAX_JSON_BYTES): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "null";
  } catch (error) {
    return JSON.stringify({ unserializable: error instanceof Error ? error.message : String(error) });
  }
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  return JSON.stringify({ truncated: true, bytes, preview: text.slice(0, Math.min(PREVIEW_CHARS, maxBytes / 2)) });
}

/** Parses a stored column; text that is not JSON (written by hand, say) comes back as the string itself. */
export function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object" || "toJSON" in value) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}
