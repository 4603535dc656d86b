/**
 * Calendar arithmetic on plain numbers (the core reads no `Date`): days since 1970-01-01 to a
 * proleptic Gregorian date and back, after Howard Hinnant's `days_from_civil`.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A date and a time of day on some clock, as its fields. */
export interface CivilTime {
  year: number;
  /** 1 to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
  /** 0 (Sunday) to 6. */
  weekday: number;
  hour: number;
  minute: number;
}

/** Days from 1970-01-01 to the given date (negative before it). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The fields of a clock reading given as ms since 1970-01-01 00:00 on that clock. */
export function civilFromClockMs(clockMs: number): CivilTime {
  const days = Math.floor(clockMs / DAY_MS);
  const minuteOfDay = Math.floor((clockMs - days * DAY_MS) / MINUTE_MS);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1,
    // 1970-01-01 was a Thursday.
    weekday: (((days + 4) % 7) + 7) % 7,
    hour: Math.floor(minuteOfDay / 60),
    minute: minuteOfDay % 60,
  };
}

/** `2026-12-25`: how holidays are written. */
export function isoDate(time: Pick<CivilTime, "year" | "month" | "day">): string {
  return `${String(time.year).padStart(4, "0")}-${pad(time.month)}-${pad(time.day)}`;
}

/** `2026-12-25 09:00`. */
export function isoMinute(time: CivilTime): string {
  return `${isoDate(time)} ${pad(time.hour)}:${pad(time.minute)}`;
}

const pad = (value: number): string => String(value).padStart(2, "0");
