/** Reads the time a log line starts with, by a `timestamp:` format (compileTimestampFormat). */
export interface LineTimestamp {
  /** Wall time (ms) the line's leading timestamp names, or null when the line does not start with one. */
  parse(line: string): number | null;
}

/** The named formats; anything else is a pattern of `%` fields. */
export const TIMESTAMP_PRESETS = ["iso8601"] as const;

/**
 * ISO 8601 as logs write it: `2026-12-07T14:03:05`, a space for the `T` (Python's logging), a
 * fraction after `.` or `,`, and an optional zone (`Z`, `+01:00`, `+0100`, `+01`).
 */
const ISO8601 = /^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?/;

/** The `%` fields of a pattern: what each matches and which part of the time it gives. */
const FIELDS: Record<string, { source: string; part: Part }> = {
  Y: { source: "(\\d{4})", part: "year" },
  m: { source: "(\\d{2})", part: "month" },
  d: { source: "(\\d{2})", part: "day" },
  H: { source: "(\\d{2})", part: "hour" },
  M: { source: "(\\d{2})", part: "minute" },
  S: { source: "(\\d{2})", part: "second" },
  f: { source: "(\\d{1,9})", part: "fraction" },
  z: { source: "(Z|[+-]\\d{2}(?::?\\d{2})?)", part: "zone" },
};
const REQUIRED_FIELDS = ["Y", "m", "d", "H", "M"];
const ISO_PARTS: Part[] = ["year", "month", "day", "hour", "minute", "second", "fraction", "zone"];

type Part = "year" | "month" | "day" | "hour" | "minute" | "second" | "fraction" | "zone";

/**
 * Compiles a `timestamp:` format: `iso8601`, or a pattern such as `[%Y-%m-%d %H:%M:%S]` whose
 * `%Y %m %d %H %M %S %f %z` fields match the year, month, day, hour, minute, second, a fraction
 * of a second and a zone, `%%` a percent sign, anything else itself. The timestamp must start
 * the line. A time without a zone is the machine's local time. An Error names what is wrong.
 */
export function compileTimestampFormat(format: string): LineTimestamp | Error {
  if (format === "iso8601") return fromRegExp(ISO8601, ISO_PARTS);
  if (!format.includes("%")) return new Error(`expected "iso8601" or a pattern of % fields such as "%Y-%m-%d %H:%M:%S", got "${format}"`);
  const parts: Part[] = [];
  let source = "^";
  for (let i = 0; i < format.length; i += 1) {
    const char = format[i] as string;
    if (char !== "%") {
      source += escapeRegExp(char);
      continue;
    }
    const name = format[i + 1];
    i += 1;
    if (name === "%") {
      source += "%";
      continue;
    }
    const field = name === undefined ? undefined : FIELDS[name];
    if (field === undefined) return new Error(`the field "%${name ?? ""}" of "${format}" is not one of %Y %m %d %H %M %S %f %z %%`);
    if (parts.includes(field.part)) return new Error(`the field "%${name}" appears twice in "${format}"`);
    parts.push(field.part);
    source += field.source;
  }
  const missing = REQUIRED_FIELDS.filter((name) => !parts.includes((FIELDS[name] as { part: Part }).part));
  if (missing.length > 0) return new Error(`"${format}" lacks ${missing.map((name) => `%${name}`).join(" ")}: a timestamp needs at least %Y %m %d %H %M`);
  return fromRegExp(new RegExp(source), parts);
}

function fromRegExp(pattern: RegExp, parts: readonly Part[]): LineTimestamp {
  return {
    parse: (line) => {
      const found = pattern.exec(line);
      if (found === null) return null;
      const value = (part: Part): string | undefined => {
        const index = parts.indexOf(part);
        return index === -1 ? undefined : found[index + 1];
      };
      return toTime(value);
    },
  };
}

/** The wall time the parts name, or null when one is out of range (`2026-13-40`). */
function toTime(value: (part: Part) => string | undefined): number | null {
  const number = (part: Part): number => Number(value(part) ?? "0");
  const [year, month, day, hour, minute, second] = [number("year"), number("month"), number("day"), number("hour"), number("minute"), number("second")];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Math.trunc(Number(`0.${value("fraction") ?? "0"}`) * 1000);
  const zone = value("zone");
  if (zone === undefined) return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - zoneOffsetMs(zone);
}

/** `Z` → 0, `+01:00`, `+0100` or `+01` → one hour, `-05:30` → minus 5.5 hours. */
function zoneOffsetMs(zone: string): number {
  if (zone === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0")) * 60_000;
}

function escapeRegExp(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}
