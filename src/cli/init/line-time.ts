/**
 * The time a log line says it was written, from the shapes bots use most: ISO 8601
 * (`2024-11-30T21:00:01.123Z`), Python's logging (`2024-11-30 21:00:01,123`) and syslog
 * (`Nov 30 21:00:01`). Only the gaps between lines matter, so a time without a zone is read as
 * UTC and a syslog line without a year as the year 2000: each line of one log is read alike.
 */

/** `2024-11-30T21:00:01`, `2024-11-30 21:00:01.5+01:00`, in brackets or not, near the start of the line. */
const ISO = /^\W{0,3}(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?/;
const SYSLOG = /^\W{0,3}(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SYSLOG_YEAR = 2000;

/** The shape of a line's timestamp, for the explanation and the leading-shape pattern. */
export type TimeShape = "iso" | "syslog";

export interface LineTime {
  /** Milliseconds on a scale shared by the lines of one log (not necessarily the real epoch). */
  ms: number;
  shape: TimeShape;
  /** How many characters of the line the timestamp (and what led up to it) took. */
  length: number;
}

/** The timestamp at the start of `line`, or null when it has none of the known shapes. */
export function parseLineTime(line: string): LineTime | null {
  const iso = ISO.exec(line);
  if (iso !== null) {
    const [, year, month, day, hour, minute, second, fraction = "", zone] = iso.map((part) => part ?? "");
    const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, "0").slice(0, 3)));
    return Number.isNaN(ms) ? null : { ms: ms - zoneOffsetMs(zone ?? ""), shape: "iso", length: iso[0].length };
  }
  const syslog = SYSLOG.exec(line);
  if (syslog === null) return null;
  const [, month = "", day, hour, minute, second] = syslog;
  const ms = Date.UTC(SYSLOG_YEAR, MONTHS.indexOf(month), Number(day), Number(hour), Number(minute), Number(second));
  return { ms, shape: "syslog", length: syslog[0].length };
}

/** `+01:00` is 3600000; `Z` and none are 0. */
function zoneOffsetMs(zone: string): number {
  const parts = /^([+-])(\d\d):?(\d\d)$/.exec(zone);
  if (parts === null) return 0;
  const minutes = Number(parts[2]) * 60 + Number(parts[3]);
  return (parts[1] === "-" ? -1 : 1) * minutes * 60_000;
}
