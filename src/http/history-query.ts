import { parseDuration } from "../core/duration.js";

/** What `/api/history` asks the store for: the shape of the store's `HistoryQuery`. */
export interface HistoryRequest {
  service?: string;
  /** Only entries at or after this wall time (ms). */
  since?: number;
  limit: number;
}

export const DEFAULT_HISTORY_LIMIT = 50;
/** Bounds one answer: the history of a busy week stays a few hundred KiB at most. */
export const MAX_HISTORY_LIMIT = 1000;
const KNOWN = new Set(["service", "since", "limit", "token"]);
const WHOLE_NUMBER = /^\d+$/;
/** Longer than any service name worth looking up; keeps echoed values short. */
const MAX_VALUE_CHARS = 200;

/**
 * Reads `?service=&since=24h&limit=50` (the `lifeguard history` options) relative to `now`.
 * Returns the query, or a message naming the parameter that is wrong.
 */
export function parseHistoryQuery(params: URLSearchParams, now: number): HistoryRequest | { problem: string } {
  for (const name of new Set(params.keys())) {
    if (!KNOWN.has(name)) return { problem: `Unknown query parameter ${quote(name)}: expected service, since or limit` };
    if (params.getAll(name).length > 1) return { problem: `Cannot read the query parameter ${quote(name)}: it is given more than once` };
  }
  const request: HistoryRequest = { limit: DEFAULT_HISTORY_LIMIT };
  const service = params.get("service");
  if (service !== null) {
    if (service === "") return { problem: 'Cannot read the query parameter "service": it is empty' };
    request.service = service;
  }
  const since = params.get("since");
  if (since !== null) {
    const ms = parseDuration(since);
    if (ms === undefined) return { problem: `Cannot read the query parameter "since": expected a duration like "24h" or "7d", got ${quote(since)}` };
    request.since = now - ms;
  }
  const limit = params.get("limit");
  if (limit !== null) {
    const value = WHOLE_NUMBER.test(limit) ? Number(limit) : NaN;
    if (!(value >= 1 && value <= MAX_HISTORY_LIMIT)) {
      return { problem: `Cannot read the query parameter "limit": expected a whole number from 1 to ${MAX_HISTORY_LIMIT}, got ${quote(limit)}` };
    }
    request.limit = value;
  }
  return request;
}

function quote(value: string): string {
  return JSON.stringify(value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}...` : value);
}
