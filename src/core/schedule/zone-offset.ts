import { daysFromCivil, DAY_MS, MINUTE_MS } from "./civil.js";

/**
 * A time zone's offset from UTC at an instant, from the tz database the runtime carries (Intl),
 * and the changes of that offset (DST) found by bisection. Offsets change at whole minutes.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** True when the runtime knows the IANA time zone (`Europe/Berlin`). */
export function isKnownZone(zone: string): boolean {
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes the zone's clock is ahead of UTC at instant `at` (ms): -300 for New York in winter. */
export function offsetMinutes(zone: string, at: number): number {
  const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  const fields: Record<string, number> = {};
  for (const part of formatterOf(zone).formatToParts(minute)) if (part.type !== "literal") fields[part.type] = Number(part.value);
  const clockMs = daysFromCivil(fields.year ?? 1970, fields.month ?? 1, fields.day ?? 1) * DAY_MS + ((fields.hour ?? 0) * 60 + (fields.minute ?? 0)) * MINUTE_MS;
  return Math.round((clockMs - minute) / MINUTE_MS);
}

/**
 * The first whole minute in (`from`, `to`] whose offset differs from `from`'s, or null when the
 * offset at `to` is `from`'s (spans are at most a few days, and no zone changes twice in that).
 */
export function offsetChangeBetween(zone: string, from: number, to: number): number | null {
  const before = offsetMinutes(zone, from);
  if (offsetMinutes(zone, to) === before) return null;
  let low = Math.floor(from / MINUTE_MS);
  let high = Math.floor(to / MINUTE_MS);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetMinutes(zone, middle * MINUTE_MS) === before) low = middle;
    else high = middle;
  }
  return high * MINUTE_MS;
}

/** No clock goes back by more than this at once. */
const LONGEST_FALL_BACK_MS = 3 * 60 * MINUTE_MS;

/**
 * When the clock went back (DST ends) less than the step ago, the minute `at` shows a time the
 * clock already showed once: its second pass. Returns when that pass began (the change) and ends,
 * or null when `at` is on no second pass.
 */
export function secondPassAt(zone: string, at: number): { start: number; end: number } | null {
  const start = offsetChangeBetween(zone, at - LONGEST_FALL_BACK_MS, at);
  if (start === null) return null;
  const stepMs = (offsetMinutes(zone, start - MINUTE_MS) - offsetMinutes(zone, start)) * MINUTE_MS;
  if (stepMs <= 0 || at >= start + stepMs) return null;
  return { start, end: start + stepMs };
}
