import { test } from "node:test";
import assert from "node:assert/strict";
import { normaliseWindows } from "../../config/schedule.js";
import { windowStateAt } from "./window-state.js";

/** Windows from what a file would say (the config parses the expressions). */
const windows = (timezone: string, ...crons: string[]) => normaliseWindows(crons.map((cron) => ({ cron, timezone, holidays: [] })));
const at = (iso: string): number => Date.parse(iso);
/** The state at `iso` as `[inside, until]`, `until` in ISO form. */
function stateAt(list: ReturnType<typeof windows>, iso: string): [boolean, string | null] {
  const state = windowStateAt(list, at(iso));
  return [state.inside, state.until === null ? null : new Date(state.until).toISOString()];
}

// Market hours in New York; 2026-12-07 is a Monday, EST is UTC-5.
const market = normaliseWindows([{ cron: "* 9-16 * * 1-5", timezone: "America/New_York", holidays: ["2026-12-25"] }]);

test("a window opens at its first minute and closes after its last one", () => {
  assert.deepEqual(stateAt(market, "2026-12-07T13:59:59.999Z"), [false, "2026-12-07T14:00:00.000Z"]);
  assert.deepEqual(stateAt(market, "2026-12-07T14:00:00.000Z"), [true, "2026-12-07T22:00:00.000Z"]);
  assert.deepEqual(stateAt(market, "2026-12-07T21:59:59.999Z"), [true, "2026-12-07T22:00:00.000Z"]);
  assert.deepEqual(stateAt(market, "2026-12-07T22:00:00.000Z"), [false, "2026-12-08T14:00:00.000Z"]);
});

test("the weekend is outside: Friday's close lasts until Monday's open", () => {
  assert.deepEqual(stateAt(market, "2026-12-11T22:00:00.000Z"), [false, "2026-12-14T14:00:00.000Z"]);
  assert.deepEqual(stateAt(market, "2026-12-13T03:00:00.000Z"), [false, "2026-12-14T14:00:00.000Z"]);
});

test("a holiday keeps the window closed all day, on the zone's own date", () => {
  // Thursday the 24th closes; Friday the 25th is a holiday; the weekend follows.
  assert.deepEqual(stateAt(market, "2026-12-24T22:00:00.000Z"), [false, "2026-12-28T14:00:00.000Z"]);
  assert.deepEqual(stateAt(market, "2026-12-25T15:00:00.000Z"), [false, "2026-12-28T14:00:00.000Z"]);
});

test("minutes steps and lists open and close at each of their edges", () => {
  const twice = windows("UTC", "0-4,30-34 12 * * *");
  assert.deepEqual(stateAt(twice, "2026-12-07T12:04:00Z"), [true, "2026-12-07T12:05:00.000Z"]);
  assert.deepEqual(stateAt(twice, "2026-12-07T12:05:00Z"), [false, "2026-12-07T12:30:00.000Z"]);
});

test("a list of windows is their union: touching windows make one that does not close between them", () => {
  const union = windows("UTC", "* 9-11 * * *", "* 12-13 * * *");
  assert.deepEqual(stateAt(union, "2026-12-07T10:00:00Z"), [true, "2026-12-07T14:00:00.000Z"]);
});

test("a window that is always inside or never changes says so with no next change", () => {
  assert.deepEqual(stateAt(windows("UTC", "* * * * *"), "2026-12-07T10:00:00Z"), [true, null]);
  assert.deepEqual(stateAt(windows("UTC", "0 0 1 1 *"), "2026-12-07T10:00:00Z"), [false, "2027-01-01T00:00:00.000Z"]);
});

// DST begins: New York 2026-03-08 02:00 EST (07:00Z) -> 03:00 EDT; Berlin 2026-03-29 02:00 CET (01:00Z) -> 03:00 CEST.
test("spring forward, New York: a window of minutes the clock skips does not open that night, and opens the next", () => {
  assert.deepEqual(stateAt(windows("America/New_York", "30 2 * * *"), "2026-03-08T06:00:00Z"), [false, "2026-03-09T06:30:00.000Z"]);
  assert.deepEqual(stateAt(windows("America/New_York", "* 2 * * *"), "2026-03-08T06:59:00Z"), [false, "2026-03-09T06:00:00.000Z"]);
});

test("spring forward, New York: a window across the skipped hour stays open through it, once", () => {
  assert.deepEqual(stateAt(windows("America/New_York", "* 1-3 * * *"), "2026-03-08T06:00:00Z"), [true, "2026-03-08T08:00:00.000Z"]);
  assert.deepEqual(stateAt(windows("America/New_York", "* 3-5 * * *"), "2026-03-08T06:59:00Z"), [false, "2026-03-08T07:00:00.000Z"]);
});

test("spring forward, Berlin: the nightly quiet hour 02:00 has no minute that night", () => {
  const nightly = windows("Europe/Berlin", "* 2 * * *");
  assert.deepEqual(stateAt(nightly, "2026-03-29T00:30:00Z"), [false, "2026-03-30T00:00:00.000Z"]);
  assert.deepEqual(stateAt(nightly, "2026-03-28T01:00:00Z"), [true, "2026-03-28T02:00:00.000Z"]);
});

// DST ends: New York 2026-11-01 02:00 EDT (06:00Z) -> 01:00 EST; Berlin 2026-10-25 03:00 CEST (01:00Z) -> 02:00 CET.
test("fall back, New York: a window inside the repeated hour stays open through its second pass, closing once", () => {
  const late = windows("America/New_York", "30-59 1 * * *");
  assert.deepEqual(stateAt(late, "2026-11-01T05:29:00Z"), [false, "2026-11-01T05:30:00.000Z"]);
  assert.deepEqual(stateAt(late, "2026-11-01T05:30:00Z"), [true, "2026-11-01T07:00:00.000Z"]);
  // 01:15 EST, on the second pass: 01:15 is outside by the expression, but the window does not close and open again.
  assert.deepEqual(stateAt(late, "2026-11-01T06:15:00Z"), [true, "2026-11-01T07:00:00.000Z"]);
});

test("fall back, New York: a window closed before the clock goes back does not open again on the second pass", () => {
  const early = windows("America/New_York", "0-29 1 * * *");
  assert.deepEqual(stateAt(early, "2026-11-01T05:00:00Z"), [true, "2026-11-01T05:30:00.000Z"]);
  assert.deepEqual(stateAt(early, "2026-11-01T05:30:00Z"), [false, "2026-11-02T06:00:00.000Z"]);
  assert.deepEqual(stateAt(early, "2026-11-01T06:00:00Z"), [false, "2026-11-02T06:00:00.000Z"]);
});

test("fall back, Berlin: the quiet hour 02:00 lasts both passes, two hours of real time, opening and closing once", () => {
  const nightly = windows("Europe/Berlin", "* 2 * * *");
  assert.deepEqual(stateAt(nightly, "2026-10-24T23:59:00Z"), [false, "2026-10-25T00:00:00.000Z"]);
  assert.deepEqual(stateAt(nightly, "2026-10-25T00:00:00Z"), [true, "2026-10-25T02:00:00.000Z"]);
  assert.deepEqual(stateAt(nightly, "2026-10-25T01:30:00Z"), [true, "2026-10-25T02:00:00.000Z"]);
  assert.deepEqual(stateAt(nightly, "2026-10-25T02:00:00Z"), [false, "2026-10-26T01:00:00.000Z"]);
});

test("fall back, Berlin: a weekday window is unmoved by the night's change", () => {
  const office = windows("Europe/Berlin", "* 9-16 * * 1-5");
  // Friday 2026-10-23 17:00 CEST -> Monday 2026-10-26 09:00 CET.
  assert.deepEqual(stateAt(office, "2026-10-23T15:00:00Z"), [false, "2026-10-26T08:00:00.000Z"]);
});
