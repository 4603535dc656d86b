// What a schedule costs a round: `windowStateAt` (which window applies now, and when that changes)
// for typical windows, the first time (a look ahead to the next change, by jumps over the days
// and hours the expression rules out) and every round after (the answer holds until its change).
import { performance } from "node:perf_hooks";
import { normaliseWindows } from "../src/config/schedule.js";
import { windowStateAt } from "../src/core/schedule/window-state.js";
import type { Section } from "./report.js";
import { median, percentile } from "./stats.js";

const CASES: Array<{ label: string; cron: string; timezone: string }> = [
  { label: "market hours, weekdays", cron: "* 9-16 * * 1-5", timezone: "America/New_York" },
  { label: "a nightly quiet hour", cron: "* 2 * * *", timezone: "Europe/Berlin" },
  { label: "every 15 minutes, a minute", cron: "*/15 * * * *", timezone: "Asia/Kathmandu" },
  { label: "always inside (no change in 400 days)", cron: "* * * * *", timezone: "UTC" },
  { label: "once a year (New Year's minute)", cron: "0 0 1 1 *", timezone: "Australia/Lord_Howe" },
];

/** Times `windowStateAt` at `samples` instants spread over a year: each one a fresh list (no cached answer), then one list asked again. */
export function benchSchedules(options: { samples: number }): Section {
  const start = Date.UTC(2026, 0, 1);
  const rows = CASES.map(({ label, cron, timezone }) => {
    const cold: number[] = [];
    for (let i = 0; i < options.samples; i += 1) {
      const windows = normaliseWindows([{ cron, timezone, holidays: [] }]);
      const at = start + Math.floor((i / options.samples) * 365 * 86_400_000);
      const started = performance.now();
      windowStateAt(windows, at);
      cold.push(performance.now() - started);
    }
    const windows = normaliseWindows([{ cron, timezone, holidays: [] }]);
    windowStateAt(windows, start);
    const warm: number[] = [];
    for (let i = 0; i < options.samples; i += 1) {
      const started = performance.now();
      windowStateAt(windows, start + i * 1000);
      warm.push(performance.now() - started);
    }
    const ms = (value: number) => value.toFixed(3);
    return [label, `\`${cron}\` ${timezone}`, ms(median(cold)), ms(percentile(cold, 95)), ms(Math.max(...cold)), ms(median(warm))];
  });
  return {
    title: "Schedules: which window applies now, and when it changes",
    method: [
      `\`windowStateAt\` (src/core/schedule/window-state.ts) for ${options.samples} instants spread over 2026, each on a fresh list of windows so nothing is cached ("first look"); then one list asked again a second later each time ("each round after"), as a daemon's rounds do.`,
    ],
    tables: [{ caption: "ms per call", columns: ["window", "expression", "first look, median", "p95", "max", "each round after, median"], rows }],
    findings: ["A round asks each list of windows once; the answer is cached until its change, so the first look is paid once per change of window."],
  };
}
