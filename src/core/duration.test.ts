import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDuration, formatSize, parseDuration, parseSize } from "./duration.js";

test("parseDuration reads single and compound units", () => {
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("1.5s"), 1500);
  assert.equal(parseDuration("2d"), 172_800_000);
});

test("parseDuration rejects malformed text", () => {
  for (const bad of ["", "5", "5 m", "m5", "5x", "5m-", "-5s", "1h 30m"]) assert.equal(parseDuration(bad), undefined, bad);
});

test("parseSize reads decimal and binary units", () => {
  assert.equal(parseSize("900MiB"), 900 * 1024 ** 2);
  assert.equal(parseSize("1GB"), 1e9);
  assert.equal(parseSize("4096"), 4096);
  assert.equal(parseSize("512k"), 512 * 1024);
  assert.equal(parseSize("12 MiB"), 12 * 1024 ** 2);
  assert.equal(parseSize("12 parsecs"), undefined);
  assert.equal(parseSize("MiB"), undefined);
});

test("formatDuration writes the two largest units", () => {
  assert.equal(formatDuration(45_000), "45s");
  assert.equal(formatDuration(3_600_000), "1h");
  assert.equal(formatDuration(5_400_000), "1h30m");
  assert.equal(formatDuration(250), "250ms");
  assert.equal(formatDuration(90_061_000), "1d1h");
});

test("formatSize uses binary units", () => {
  assert.equal(formatSize(512), "512B");
  assert.equal(formatSize(1536), "1.5KiB");
  assert.equal(formatSize(900 * 1024 ** 2), "900MiB");
});
