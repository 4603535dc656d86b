// `npm run bench`: builds the CLI, runs every benchmark and writes bench/RESULTS.md.
// Flags: --no-sandbox (time `check` without the systemd sandbox), --clean (delete bench/data afterwards;
// by default the generated logs, 1 GiB among them, are kept and reused by the next run),
// --only tail|check|daemon (repeatable: run only those parts), --quick (fewer runs and shorter
// windows, for a smoke run). A run with --only or --quick writes bench/RESULTS.partial.md (not
// committed), so that only a full run replaces bench/RESULTS.md.
import { rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { benchCheckWallTime } from "./check-wall-time.js";
import { benchCrash } from "./daemon-crash.js";
import { benchFreeze } from "./daemon-freeze.js";
import { benchIdle, type IdleScenario } from "./daemon-idle.js";
import { describeCommandLine, describeMachine, renderResults, type Section } from "./report.js";
import { benchTail } from "./tail.js";

const BENCH_DIR = import.meta.dirname;
const DATA_DIR = join(BENCH_DIR, "data");
const PARTS = ["tail", "check", "daemon"] as const;
type Part = (typeof PARTS)[number];
const MIB = 1024 * 1024;

/** The daemon's idle goals and the competitors' figures beside them (issue 3). */
const IDLE_SCENARIOS: IdleScenario[] = [
  { services: 1, intervalMs: 1000, scrapeEveryMs: null, cpuGoal: 0.2, cpuCompetitor: "monit 5.33: 0.8 %", rssGoalBytes: 50 * MIB, rssCompetitor: "PM2 7.0.4: 55 MiB" },
  // The same daemon as it usually runs: asked for its health, status and metrics. No goal; the cost of being served.
  { services: 1, intervalMs: 1000, scrapeEveryMs: 15_000, cpuGoal: null, cpuCompetitor: "–", rssGoalBytes: null, rssCompetitor: "–" },
  { services: 200, intervalMs: 5000, scrapeEveryMs: null, cpuGoal: 3, cpuCompetitor: "–", rssGoalBytes: null, rssCompetitor: "–" },
];

const { values: flags } = parseArgs({
  options: {
    "no-sandbox": { type: "boolean", default: false },
    clean: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    quick: { type: "boolean", default: false },
  },
});
const only = new Set(flags.only ?? PARTS);
const unknown = [...only].filter((part) => !PARTS.includes(part as Part));
if (unknown.length > 0) throw new Error(`Unknown --only ${unknown.map((part) => `"${part}"`).join(", ")}: expected ${PARTS.join(", ")}`);
const runs = (part: Part): boolean => only.has(part);
const quick = flags.quick;
const partial = quick || only.size < PARTS.length;
const results = join(BENCH_DIR, partial ? "RESULTS.partial.md" : "RESULTS.md");

const started = performance.now();
const machine = describeMachine();
const progress = (text: string): void => void process.stderr.write(`bench: ${text}\n`);

const sections: Section[] = [];
try {
  if (runs("tail")) {
    progress("readTailLines at 1 KiB, 1 MiB, 100 MiB and 1 GiB (writes missing logs to bench/data first)");
    sections.push(await benchTail({ dataDir: DATA_DIR, warmup: quick ? 5 : 20, iterations: quick ? 30 : 200, coldIterations: quick ? 5 : 20, retainedCalls: quick ? 200 : 2000 }));
  }
  if (runs("check")) {
    progress("lifeguard check wall time");
    sections.push(await benchCheckWallTime({ dataDir: DATA_DIR, warmup: quick ? 1 : 3, runs: quick ? 5 : 30, sandbox: !flags["no-sandbox"] }));
  }
  if (runs("daemon")) {
    progress("daemon: freeze to recovery (SIGSTOP the bot, at 30 s and 1 s intervals)");
    sections.push(await benchFreeze({ runs: [{ intervalMs: 30_000, trials: quick ? 3 : 10 }, { intervalMs: 1000, trials: quick ? 2 : 5 }] }));
    progress("daemon: crash to new process (SIGKILL the bot)");
    sections.push(await benchCrash({ trials: quick ? 5 : 20, startupRuns: quick ? 5 : 20 }));
    progress(`daemon: idle CPU and memory (${IDLE_SCENARIOS.length} daemons, ${quick ? 10 : 60} s each)`);
    sections.push(await benchIdle({ settleMs: quick ? 2000 : 5000, windowMs: quick ? 10_000 : 60_000, sampleMs: 1000, scenarios: IDLE_SCENARIOS }));
  }
} finally {
  if (flags.clean) rmSync(DATA_DIR, { recursive: true, force: true });
}
writeFileSync(results, renderResults(describeCommandLine("bench", "bench/run.ts"), machine, performance.now() - started, sections));
progress(`wrote ${relative(process.cwd(), results)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
