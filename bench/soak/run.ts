// `npm run soak -- --minutes N`: builds the CLI, runs healthy bots under Lifeguard for N minutes
// (log rotation of three kinds, bursts, heartbeat pings), writes bench/SOAK.md and prints a
// summary. Exits 1 when any service was restarted (every bot is healthy: a restart is a false
// one) or Lifeguard's RSS grew (see render-soak.ts), 130 when interrupted (no report then).
// Ctrl-C and SIGTERM stop the soak; the daemon, the bots and logrotate are ended by PID either way.
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { describeCommandLine, describeMachine } from "../report.js";
import { judgeSoak, renderSoak } from "./render-soak.js";
import { runSoak } from "./run-soak.js";

const MINUTE_MS = 60_000;
const INTERRUPTED_EXIT = 130;
const REPORT = join(import.meta.dirname, "..", "SOAK.md");

const { values: flags } = parseArgs({ options: { minutes: { type: "string", default: "3" } } });
const minutes = Number(flags.minutes);
if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`Cannot read --minutes "${flags.minutes}": expected a positive number of minutes`);

const progress = (text: string): void => void process.stderr.write(`soak: ${text}\n`);
const stop = new AbortController();
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.once(name, () => {
    progress(`${name}: stopping the soak and ending its processes`);
    stop.abort();
  });
}

const machine = describeMachine();
const figures = await runSoak(minutes * MINUTE_MS, stop.signal, progress);
if (figures === null) {
  progress(`interrupted: ${relative(process.cwd(), REPORT)} not written`);
  process.exit(INTERRUPTED_EXIT);
}
const judged = judgeSoak(figures);
writeFileSync(REPORT, renderSoak(describeCommandLine("soak", "bench/soak/run.ts"), machine, figures, judged));
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
for (const s of figures.services) progress(`${s.service.name}: ${s.historyRestarts.length} restarts in the history, ${Math.max(0, s.starts - 1)} by the bot's starts file, ${s.stats?.lines ?? "?"} lines written`);
progress(`false restarts: ${judged.falseRestarts}; RSS ${mib(judged.trend.firstQuartileMedian)} (first quarter) → ${mib(judged.trend.lastQuartileMedian)} (last quarter), slope ${judged.trend.slopeKiBPerMin.toFixed(0)} KiB/min: ${judged.rssFlat ? "flat" : "GREW"}`);
progress(`rotations: ${figures.lifeguardRotations} by Lifeguard, ${figures.logrotate.ok} logrotate runs (create and copytruncate), ${figures.logrotate.failed} failed`);
progress(`wrote ${relative(process.cwd(), REPORT)}: ${judged.ok ? "PASS" : "FAIL"}`);
process.exitCode = judged.ok ? 0 : 1;
