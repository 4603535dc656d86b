import { CronPattern } from "croner";
import { z } from "zod";
import { daysFromCivil } from "../core/schedule/civil.js";
import type { ScheduleWindow } from "../core/schedule/window.js";
import { isKnownZone } from "../core/schedule/zone-offset.js";
import { suggest } from "./did-you-mean.js";
import { describeValue, quote } from "./messages.js";

/** `active:` and `quiet:` windows: cron expressions read on a time zone's clock, with holidays. */

const CRON_EXAMPLE = 'a cron expression of five fields (minute hour day month weekday) like "* 9-16 * * 1-5"';
/** The longest each month can be, February in a leap year. */
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The expression parsed by croner, or why it cannot be a window: a syntax error, a feature windows do not take, a day that never comes. */
function parseCron(expression: string): { pattern: CronPattern } | { problem: string } {
  // `?` stands for the time of parsing in croner: a window must not depend on when the file was read.
  if (expression.includes("?")) return { problem: "`?` is not allowed in a window; write `*`" };
  let pattern: CronPattern;
  try {
    pattern = new CronPattern(expression, undefined, { mode: "5-part" });
  } catch (error) {
    return { problem: (error as Error).message.replace(/^CronPattern: /, "") };
  }
  if (pattern.lastDayOfMonth || pattern.lastWeekday || pattern.nearestWeekdays.some(Boolean) || pattern.dayOfWeek.some((value) => value !== 0 && value !== 63)) {
    return { problem: "`L`, `W` and `#` are not allowed in a window" };
  }
  const fields = fieldsOf(pattern);
  const someDay = fields.months.some((month) => fields.days.some((day) => day <= (MONTH_DAYS[month] ?? 0)));
  if (!someDay && !(fields.eitherDay && fields.weekdays.length > 0)) return { problem: "no month has such a day, so the window never opens" };
  return { pattern };
}

const indexes = (flags: readonly number[], first: number): number[] => flags.flatMap((flag, index) => (flag === 0 ? [] : [index + first]));

function fieldsOf(pattern: CronPattern) {
  return {
    minutes: indexes(pattern.minute, 0), hours: indexes(pattern.hour, 0), days: indexes(pattern.day, 1), months: indexes(pattern.month, 1),
    weekdays: indexes(pattern.dayOfWeek, 0),
    // croner's (and cron's) rule: with both day fields restricted, either one matching is enough.
    eitherDay: !pattern.starDOM && !pattern.starDOW && !pattern.useAndLogic,
  };
}

const cron = z.string({ error: (issue) => `expected ${CRON_EXAMPLE}, got ${describeValue(issue.input)}` }).check((context) => {
  const parsed = parseCron(context.value);
  if ("problem" in parsed) context.issues.push({ code: "custom", input: context.value, message: `expected ${CRON_EXAMPLE}, got ${quote(context.value)}: ${parsed.problem}` });
});

const timezone = z.string().check((context) => {
  if (isKnownZone(context.value)) return;
  const near = suggest(context.value, Intl.supportedValuesOf("timeZone"));
  const hint = near === undefined ? "" : ` (did you mean ${quote(near)}?)`;
  context.issues.push({ code: "custom", input: context.value, message: `expected an IANA time zone like "America/New_York" or "Europe/Berlin", got ${quote(context.value)}${hint}` });
});

const holiday = z.string().check((context) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(context.value);
  const [year, month, day] = (match?.slice(1) ?? []).map(Number);
  const real = year !== undefined && month !== undefined && day !== undefined && month >= 1 && month <= 12 && day >= 1 && day <= (MONTH_DAYS[month] ?? 0) &&
    (month !== 2 || day < 29 || daysFromCivil(year, 3, 1) - daysFromCivil(year, 2, 1) === 29);
  if (!real) context.issues.push({ code: "custom", input: context.value, message: `expected a date like "2026-12-25", got ${quote(context.value)}` });
});

const window = z.strictObject({
  cron: cron.describe("The minutes inside the window: a cron expression of five fields (minute hour day-of-month month weekday), read on the clock of `timezone`; `* 9-16 * * 1-5` is 09:00 to 16:59 on weekdays. Names (`MON-FRI`, `JAN`), ranges, lists and steps are allowed; `L`, `W`, `#` and `?` are not. An hour the clock skips (DST begins) is not inside; an hour it shows twice (DST ends) keeps the window as it was before the clock went back, so a window never opens or closes twice."),
  timezone: timezone.nullable().default(null).describe("The IANA time zone whose clock the expression reads (`America/New_York`). Empty: the system's."),
  holidays: z.array(holiday).default([]).describe("Dates (`2026-12-25`, on that clock) on which the window stays closed all day."),
}).describe("One window: the minutes a cron expression matches on a time zone's clock, except on holidays. The same keys serve every `active` and `quiet` list, a service's and a check's.");

/** A list of windows; their union is inside. */
export function windows(description: string) {
  return z.array(window).default([]).describe(description);
}

/** The windows in the core's form: the expression's fields parsed, the time zone named. */
export function normaliseWindows(parsed: ReadonlyArray<z.output<typeof window>>): ScheduleWindow[] {
  return parsed.map((item) => {
    const result = parseCron(item.cron);
    if (!("pattern" in result)) throw new Error(`A validated window has a bad expression: ${item.cron}`);
    return { cron: item.cron, timezone: item.timezone ?? systemZone(), holidays: [...item.holidays], ...fieldsOf(result.pattern) };
  });
}

const systemZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
