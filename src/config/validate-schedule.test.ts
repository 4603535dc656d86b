import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { configValidators } from "../testing/validate-helpers.js";
import { validateConfig } from "./validate.js";

const options = { source: "lifeguard.yaml", baseDir: "/etc/lifeguard" };
const { onlyService } = configValidators(options);

/** A service `bot` with `lines` after its runner. */
function service(...lines: string[]): string {
  return ["services:", "  bot:", "    systemd: bot", ...lines.map((line) => `    ${line}`)].join("\n");
}

function issuesOf(text: string): string[] {
  const result = validateConfig(text, { ...options, env: {} });
  if (result.ok) assert.fail("expected the config to be invalid");
  return result.issues.map(formatConfigIssue);
}

test("a service's active and quiet windows normalise to the expression's fields, zone and holidays", () => {
  const bot = onlyService(service(
    "active:",
    "  - { cron: \"* 9-16 * * MON-FRI\", timezone: America/New_York, holidays: [2026-12-25] }",
    "quiet:",
    "  - cron: \"*/30 23 * * *\"",
    "    timezone: Europe/Berlin",
  ));
  const [active] = bot.policy.schedule?.active ?? [];
  assert.deepEqual(active, {
    cron: "* 9-16 * * MON-FRI", timezone: "America/New_York", holidays: ["2026-12-25"],
    minutes: Array.from({ length: 60 }, (_, index) => index), hours: [9, 10, 11, 12, 13, 14, 15, 16],
    days: Array.from({ length: 31 }, (_, index) => index + 1), months: Array.from({ length: 12 }, (_, index) => index + 1), weekdays: [1, 2, 3, 4, 5], eitherDay: false,
  });
  assert.deepEqual(bot.policy.schedule?.quiet.map((window) => [window.minutes, window.hours, window.timezone]), [[[0, 30], [23], "Europe/Berlin"]]);
});

test("a window without a time zone reads the system's clock; a service without windows is always judged and never quiet", () => {
  const bot = onlyService(service("active: [{ cron: \"* * * * *\" }]"));
  assert.equal(bot.policy.schedule?.active[0]?.timezone, Intl.DateTimeFormat().resolvedOptions().timeZone);
  assert.deepEqual(onlyService(service()).policy.schedule, { active: [], quiet: [] });
});

test("both day fields restricted: a day matching either one is inside, as in cron", () => {
  const bot = onlyService(service("quiet: [{ cron: \"* * 1 * 1\", timezone: UTC }]"));
  assert.equal(bot.policy.schedule?.quiet[0]?.eitherDay, true);
});

test("a check's active windows are its own; a check without them has none", () => {
  const bot = onlyService(service("checks:", "  - log-fresh: { path: /var/log/bot.log, max-age: 5m, active: [{ cron: \"* 9-16 * * 1-5\", timezone: UTC }] }", "  - tcp: { host: 127.0.0.1, port: 9 }"));
  assert.deepEqual(bot.checks[1]?.active?.map((window) => window.cron), ["* 9-16 * * 1-5"]);
  assert.equal(bot.checks[1]?.quiet, undefined);
  assert.equal(bot.checks[2]?.active, undefined);
});

test("a check's quiet windows are its own", () => {
  const bot = onlyService(service("checks:", "  - tcp: { host: 127.0.0.1, port: 9, quiet: [{ cron: \"* 23 * * *\", timezone: America/New_York }] }"));
  assert.deepEqual(bot.checks[1]?.quiet?.map((window) => [window.cron, window.timezone]), [["* 23 * * *", "America/New_York"]]);
  assert.equal(bot.checks[1]?.active, undefined);
});

test("an impossible expression is refused at its line and column", () => {
  assert.deepEqual(issuesOf(service("active:", "  - { cron: \"61 * * * *\", timezone: UTC }")), [
    'lifeguard.yaml:5:17: services.bot.active[0].cron: expected a cron expression of five fields (minute hour day month weekday) like "* 9-16 * * 1-5", got "61 * * * *": Invalid value for minute: 61',
  ]);
  assert.deepEqual(issuesOf(service("quiet:", "  - cron: \"* * 30 2 *\"")), [
    'lifeguard.yaml:5:15: services.bot.quiet[0].cron: expected a cron expression of five fields (minute hour day month weekday) like "* 9-16 * * 1-5", got "* * 30 2 *": no month has such a day, so the window never opens',
  ]);
});

test("seconds, L, W, # and ? are refused: a window is minutes, fixed once read", () => {
  const problems = ["0 * * * * *", "* * L * *", "* * * * 1#2", "* * 15W * *", "* * ? * *"].map((cron) => issuesOf(service(`active: [{ cron: "${cron}" }]`))[0]?.replace(/^.*got "[^"]*": /, ""));
  assert.deepEqual(problems, [
    "mode '5-part' requires exactly 5 parts, but pattern '0 * * * * *' has 6 parts.",
    "`L`, `W` and `#` are not allowed in a window",
    "`L`, `W` and `#` are not allowed in a window",
    "`L`, `W` and `#` are not allowed in a window",
    "`?` is not allowed in a window; write `*`",
  ]);
});

test("an unknown time zone is refused with the nearest known one, and a holiday must be a real date", () => {
  assert.deepEqual(issuesOf(service("active:", "  - cron: \"* 9-16 * * 1-5\"", "    timezone: America/New_Yrok", "    holidays: [2026-02-29, 2026-12-25]")), [
    'lifeguard.yaml:6:19: services.bot.active[0].timezone: expected an IANA time zone like "America/New_York" or "Europe/Berlin", got "America/New_Yrok" (did you mean "America/New_York"?)',
    'lifeguard.yaml:7:20: services.bot.active[0].holidays[0]: expected a date like "2026-12-25", got "2026-02-29"',
  ]);
});

test("a check's window is checked as the service's", () => {
  assert.deepEqual(issuesOf(service("checks:", "  - tcp: { host: 127.0.0.1, port: 9, active: [{ cron: \"* 25 * * *\" }] }")), [
    'lifeguard.yaml:5:59: services.bot.checks[0].active[0].cron: expected a cron expression of five fields (minute hour day month weekday) like "* 9-16 * * 1-5", got "* 25 * * *": Invalid value for hour: 25',
  ]);
});
