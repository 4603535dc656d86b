import { civilFromClockMs, isoDate, MINUTE_MS, type CivilTime } from "./civil.js";
import { offsetChangeBetween, offsetMinutes, secondPassAt } from "./zone-offset.js";

/**
 * One schedule window as the config gives it (`active:` or `quiet:`): the minutes a cron
 * expression matches on the clock of `timezone`, except on `holidays`. The fields are the
 * expression already parsed (by the config, which validated it): the core needs no cron parser.
 */
export interface ScheduleWindow {
  /** As written, for messages: `* 9-16 * * 1-5`. */
  cron: string;
  /** IANA time zone whose clock the expression reads. */
  timezone: string;
  /** Dates (`2026-12-25`, on the zone's clock) on which the window stays closed. */
  holidays: string[];
  minutes: number[];
  hours: number[];
  /** Days of the month, 1 to 31. */
  days: number[];
  /** 1 to 12. */
  months: number[];
  /** 0 (Sunday) to 6. */
  weekdays: number[];
  /** Cron's rule: when both the day of the month and the weekday are restricted, a day matching either one matches. */
  eitherDay: boolean;
}

interface Matcher {
  minutes: boolean[];
  hours: boolean[];
  days: boolean[];
  months: boolean[];
  weekdays: boolean[];
  holidays: Set<string>;
  everyMinute: boolean;
}

const matchers = new WeakMap<ScheduleWindow, Matcher>();

function matcherOf(window: ScheduleWindow): Matcher {
  let matcher = matchers.get(window);
  if (matcher === undefined) {
    const flags = (values: readonly number[], size: number) => Array.from({ length: size }, (_, index) => values.includes(index));
    matcher = {
      minutes: flags(window.minutes, 60), hours: flags(window.hours, 24), days: flags(window.days, 32), months: flags(window.months, 13),
      weekdays: flags(window.weekdays, 7), holidays: new Set(window.holidays), everyMinute: window.minutes.length === 60,
    };
    matchers.set(window, matcher);
  }
  return matcher;
}

function dayMatches(window: ScheduleWindow, matcher: Matcher, time: CivilTime): boolean {
  if (matcher.holidays.has(isoDate(time)) || matcher.months[time.month] !== true) return false;
  const byDay = matcher.days[time.day] === true;
  const byWeekday = matcher.weekdays[time.weekday] === true;
  return window.eitherDay ? byDay || byWeekday : byDay && byWeekday;
}

const matchesAt = (window: ScheduleWindow, matcher: Matcher, time: CivilTime): boolean =>
  dayMatches(window, matcher, time) && matcher.hours[time.hour] === true && matcher.minutes[time.minute] === true;

/** The zone's clock at an instant, as fields. */
export function clockAt(zone: string, at: number): CivilTime {
  return civilFromClockMs(Math.floor(at / MINUTE_MS) * MINUTE_MS + offsetMinutes(zone, at) * MINUTE_MS);
}

/**
 * Whether the minute of instant `at` is inside the window. On the second pass of an hour the
 * clock shows twice (DST ends), the window stays as it was at the last minute before the clock
 * went back: it never opens or closes twice for one reading of the clock.
 */
export function isInside(window: ScheduleWindow, at: number): boolean {
  const secondPass = secondPassAt(window.timezone, at);
  const judged = secondPass === null ? at : secondPass.start - MINUTE_MS;
  return matchesAt(window, matcherOf(window), clockAt(window.timezone, judged));
}

/**
 * An instant after `at` before which the window's verdict cannot differ from the one at `at`
 * (not always the next change: the caller looks again from there). Jumps a whole day or hour
 * the expression rules out, never past a change of the zone's offset.
 */
export function unchangedUntil(window: ScheduleWindow, at: number): number {
  const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  const secondPass = secondPassAt(window.timezone, minute);
  if (secondPass !== null) return secondPass.end;
  const matcher = matcherOf(window);
  const time = clockAt(window.timezone, minute);
  const candidate = minute + minutesUnchanged(window, matcher, time) * MINUTE_MS;
  return offsetChangeBetween(window.timezone, minute, candidate) ?? candidate;
}

/** Minutes from `time` on the zone's clock during which the window's verdict stays the same (at least 1). */
function minutesUnchanged(window: ScheduleWindow, matcher: Matcher, time: CivilTime): number {
  const minuteOfDay = time.hour * 60 + time.minute;
  if (!dayMatches(window, matcher, time)) return 24 * 60 - minuteOfDay;
  if (matcher.hours[time.hour] !== true) return 60 - time.minute;
  const inside = matcher.minutes[time.minute] === true;
  let minute = time.minute + 1;
  while (minute < 60 && matcher.minutes[minute] === inside) minute += 1;
  if (minute < 60 || !(inside && matcher.everyMinute)) return minute - time.minute;
  // Inside for the whole rest of the hour, every minute: on through the following hours of the day that match too.
  let hour = time.hour + 1;
  while (hour < 24 && matcher.hours[hour] === true) hour += 1;
  return hour * 60 - minuteOfDay;
}
