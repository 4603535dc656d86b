import { test } from "node:test";
import assert from "node:assert/strict";
import { compileTimestampFormat, type LineTimestamp } from "./line-timestamp.js";

function compile(format: string): LineTimestamp {
  const compiled = compileTimestampFormat(format);
  if (compiled instanceof Error) throw compiled;
  return compiled;
}

const local = (...parts: [number, number, number, number, number, number, number?]): number =>
  new Date(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], parts[6] ?? 0).getTime();

test("iso8601 reads a local time, a fraction and a zone", () => {
  const iso = compile("iso8601");
  assert.equal(iso.parse("2026-12-07T14:03:05 Position update"), local(2026, 12, 7, 14, 3, 5));
  assert.equal(iso.parse("2026-12-07 14:03:05,250 INFO Position update"), local(2026, 12, 7, 14, 3, 5, 250));
  assert.equal(iso.parse("[2026-12-07 14:03:05] [OK] alive"), local(2026, 12, 7, 14, 3, 5));
  assert.equal(iso.parse("2026-12-07T14:03:05.123456Z x"), Date.UTC(2026, 11, 7, 14, 3, 5, 123));
  assert.equal(iso.parse("2026-12-07T14:03:05+01:00 x"), Date.UTC(2026, 11, 7, 13, 3, 5));
  assert.equal(iso.parse("2026-12-07T14:03:05-0530 x"), Date.UTC(2026, 11, 7, 19, 33, 5));
});

test("a line that does not start with the timestamp has none", () => {
  const iso = compile("iso8601");
  assert.equal(iso.parse("  File \"bot.py\", line 3, in <module>"), null);
  assert.equal(iso.parse("note 2026-12-07T14:03:05"), null);
  assert.equal(iso.parse("2026-13-07T14:03:05 month 13"), null);
  assert.equal(iso.parse(""), null);
});

test("a pattern of % fields reads what it names, literals included", () => {
  assert.equal(compile("%Y-%m-%d %H:%M:%S").parse("2024-11-30 21:00:01 [OK] fine"), local(2024, 11, 30, 21, 0, 1));
  assert.equal(compile("[%d/%m/%Y %H:%M]").parse("[30/11/2024 21:07] x"), local(2024, 11, 30, 21, 7, 0));
  assert.equal(compile("%Y%m%dT%H%M%S.%f%z").parse("20241130T210001.5Z"), Date.UTC(2024, 10, 30, 21, 0, 1, 500));
  assert.equal(compile("100%% %Y-%m-%d %H:%M").parse("100% 2024-11-30 21:07"), local(2024, 11, 30, 21, 7, 0));
  assert.equal(compile("%Y-%m-%d %H:%M:%S").parse("[2024-11-30 21:00:01]"), null);
});

test("a format that cannot work says why", () => {
  const message = (format: string): string => (compileTimestampFormat(format) as Error).message;
  assert.equal(message("unix"), `expected "iso8601" or a pattern of % fields such as "%Y-%m-%d %H:%M:%S", got "unix"`);
  assert.equal(message("%Y-%m-%d %H:%M:%Q"), `the field "%Q" of "%Y-%m-%d %H:%M:%Q" is not one of %Y %m %d %H %M %S %f %z %%`);
  assert.equal(message("%H:%M:%S"), `"%H:%M:%S" lacks %Y %m %d: a timestamp needs at least %Y %m %d %H %M`);
  assert.equal(message("%Y %Y-%m-%d %H:%M"), `the field "%Y" appears twice in "%Y %Y-%m-%d %H:%M"`);
  assert.equal(message("%Y-%m-%d %H:%M %"), `the field "%" of "%Y-%m-%d %H:%M %" is not one of %Y %m %d %H %M %S %f %z %%`);
});
