import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLineTime } from "./line-time.js";
import { proposeMatch } from "./propose-match.js";
import { friendlyAtLeast, proposeMaxAgeFromTimes, proposeMaxAgeFromWrites } from "./propose-max-age.js";
import { describePatternProblem } from "../../config/describe-pattern-problem.js";

/** Lines of the seed's bot, `gaps` seconds apart (one line per gap, plus the first). */
function botLines(gaps: number[], start = Date.UTC(2024, 10, 30, 21, 0, 0)): string[] {
  let at = start;
  const stamp = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19);
  const lines = [`${stamp(at)} INFO VIX 15.2 Position ok Update 0`];
  gaps.forEach((gap, index) => {
    at += gap * 1000;
    lines.push(`${stamp(at)} INFO VIX 15.${index} Position ok Update ${index + 1}`);
  });
  return lines;
}
const timesOf = (lines: string[]) => lines.flatMap((line) => parseLineTime(line)?.ms ?? []);

test("parseLineTime reads ISO 8601, Python's logging and syslog times, and nothing else", () => {
  assert.equal(parseLineTime("2024-11-30T21:00:01Z started")?.ms, Date.UTC(2024, 10, 30, 21, 0, 1));
  assert.equal(parseLineTime("2024-11-30T22:00:01.250+01:00 x")?.ms, Date.UTC(2024, 10, 30, 21, 0, 1, 250));
  assert.equal(parseLineTime("[2024-11-30 21:00:01,5] x")?.ms, Date.UTC(2024, 10, 30, 21, 0, 1, 500));
  assert.equal(parseLineTime("Nov  3 21:00:01 pi bot[42]: tick")?.shape, "syslog");
  assert.equal(parseLineTime("tick 2024-11-30 21:00:01"), null);
  assert.equal(parseLineTime("GET /index.html 200"), null);
});

test("a regular log: the words every line carries, and 3 × the gap rounded up", () => {
  const lines = botLines(Array(39).fill(30));
  assert.deepEqual(proposeMatch(lines), { pattern: "VIX|Position|Update", why: 'words the bot keeps writing: "VIX" in 40, "Position" in 40, "Update" in 40 of the last 40 lines; a window of lines without any of them means it stopped working' });
  assert.deepEqual(proposeMaxAgeFromTimes(timesOf(lines)), { value: "2m", ms: 120_000, why: "the log was written every 30s (40 lines with a time): 3 × the largest gap (30s), rounded up" });
});

test("an irregular log: max-age comes from the largest gap, the range is said", () => {
  const lines = botLines([20, 35, 22, 28, 31, 20]);
  assert.equal(proposeMaxAgeFromTimes(timesOf(lines))?.why, "the log was written every 20s–35s (7 lines with a time): 3 × the largest gap (35s), rounded up");
  assert.equal(proposeMaxAgeFromTimes(timesOf(lines))?.value, "2m");
  assert.equal(proposeMaxAgeFromTimes(timesOf(botLines([60, 400, 90])))?.value, "20m");
  assert.equal(proposeMaxAgeFromTimes(timesOf(botLines([60, 401, 90])))?.value, "30m");
  // A clock that stepped back is no gap.
  assert.equal(proposeMaxAgeFromTimes([10_000, 5_000, 15_000])?.value, "1m");
});

test("a busy log gets the floor, and says why", () => {
  const proposal = proposeMaxAgeFromTimes(timesOf(botLines([1, 0, 1, 1, 0])));
  assert.equal(proposal?.value, "1m");
  assert.match(proposal?.why ?? "", /under 1m, the least Lifeguard proposes/);
  assert.match(proposeMaxAgeFromTimes([5000, 5000, 5000])?.why ?? "", /^the last 3 lines with a time were all written within the same second/);
});

test("friendly durations round up, beyond a week to whole days", () => {
  assert.deepEqual([61_000, 180_000, 181_000, 3_600_000, 5_000_000, 9 * 86_400_000 + 1].map(friendlyAtLeast), [120_000, 180_000, 300_000, 3_600_000, 7_200_000, 10 * 86_400_000]);
});

test("no timestamps: the pattern still comes from the words; max-age from watching the file grow", () => {
  const lines = Array.from({ length: 12 }, (_, i) => `worker: processed batch ${i} in ${i * 3}ms`);
  assert.equal(proposeMatch(lines).pattern, "worker|processed|batch");
  assert.equal(proposeMaxAgeFromTimes(timesOf(lines)), null);
  assert.deepEqual(proposeMaxAgeFromWrites([1000, 3000, 5000, 7000], 8000), { value: "1m", ms: 60_000, why: "the log has no timestamps; it grew 4 times in the 8s watched, quiet for at most 2s: 3 × the largest gap is under 1m, the least Lifeguard proposes (a check may run only once a minute)" });
  assert.equal(proposeMaxAgeFromWrites([], 8000).value, "5m");
  assert.match(proposeMaxAgeFromWrites([], 8000).why, /did not grow in the 8s watched, so this is the seed's 5m/);
  // One write late in the window: the quiet before it is a lower bound of the gap.
  assert.equal(proposeMaxAgeFromWrites([7900], 30_000).value, "2m");
});

test("a heartbeat word that recurs in a few lines is proposed when no word is in most lines", () => {
  const lines = Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? `2024-11-30 21:00:${String(i).padStart(2, "0")} heartbeat` : `2024-11-30 21:00:${String(i).padStart(2, "0")} ${["buy", "sell", "hold", "skip"][i % 4]} ${i}`));
  assert.deepEqual(proposeMatch(lines), { pattern: "heartbeat", why: '"heartbeat" is in 4 of the last 20 lines: a line that says the bot is alive' });
});

test("lines of no common word: the timestamp shape they all start with, or the first word, or none", () => {
  const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
  const stamped = words.map((word, i) => `[2024-11-30T21:00:0${i}Z] ${word} ${i}`);
  const shape = proposeMatch(stamped);
  assert.equal(shape.pattern, String.raw`^\W{0,3}\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d`);
  assert.match(shape.why, /all 6 last lines start with a time like "2024-11-30 21:00:01"/);
  assert.equal(proposeMatch(words.map((word) => `[1.2] ${word}`)).pattern, String.raw`^\[1\.2\]`);
  assert.deepEqual(proposeMatch(words.map((word, i) => `${word} ${i}`)).pattern, null);
  // Syslog's host and program are in every line: they are not the bot's work.
  const syslog = words.map((word, i) => `Nov 30 21:00:0${i} pi trader[42]: ${word}`);
  assert.equal(proposeMatch(syslog).pattern, String.raw`^\W{0,3}[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d`);
  for (const lines of [stamped, syslog]) assert.equal(describePatternProblem(proposeMatch(lines).pattern ?? ""), undefined);
});

test("failure words are never proposed as activity", () => {
  const lines = Array.from({ length: 10 }, (_, i) => `2024-11-30 21:00:0${i} ERROR connection refused, Traceback follows ${i}`);
  assert.equal(proposeMatch(lines).pattern, "connection|follows");
});

test("binary junk is skipped, a huge line is judged by its start", () => {
  const junk = ["\u0000\u0001\u0002ELF\u0003", "\ufffd\ufffd\ufffd\ufffd\u0007\ufffd", "", "   "];
  assert.deepEqual(proposeMatch(junk), { pattern: null, why: "the log's last lines hold no readable text, so there is nothing to match: log-fresh alone watches it" });
  const huge = `2024-11-30 21:00:01 tick ${"x".repeat(5_000_000)}`;
  const mixed = [...junk, ...botLines([30, 30, 30]), huge];
  assert.equal(proposeMatch(mixed).pattern, "VIX|Position|Update");
});

test("one line: too few to tell which words recur; its timestamp shape is proposed", () => {
  const proposal = proposeMatch(["2024-11-30 21:00:01 INFO VIX 15.2 Position ok Update 17"]);
  assert.equal(proposal.pattern, String.raw`^\W{0,3}\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d`);
  assert.match(proposal.why, /^too few lines to tell which words recur, but the only line read starts with a time/);
  assert.equal(proposeMatch(["hello world"]).pattern, "^hello");
  assert.equal(proposeMaxAgeFromTimes(timesOf(["2024-11-30 21:00:01 x"])), null);
});
