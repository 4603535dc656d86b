// `npm run bench`: builds the CLI, runs every benchmark and writes bench/RESULTS.md.
// Parts, run in this order: tail, check, net (the http, tcp and exec checks), freeze, crash, systemd-crash (crash and freeze in systemd mode), weigh, idle, systemd-idle, schedules, probes, memory (`daemon` =
// freeze, crash, systemd-crash, weigh, idle, systemd-idle and memory); name some to run only those: `npm run bench -- idle` or `-- --only idle`.
// `memory` is the long one: a 10-minute window (issue 14's "flat over a 10-minute window"), about
// 11 minutes with its start-up; --quick makes it 1 minute.
// Flags: --no-sandbox (time `check` without the systemd sandbox, and skip `systemd-crash` and `systemd-idle`, which need it), --clean (delete bench/data afterwards;
// by default the generated logs, 1 GiB among them, are kept and reused by the next run),
// --quick (fewer runs and shorter windows, for a smoke run). A run of some parts only or with
// --quick writes bench/RESULTS.partial.md (not committed), so that only a full run replaces
// bench/RESULTS.md; either keeps the hand-written part at the end of bench/RESULTS.md. --merge
// (some parts, not --quick) writes their sections into bench/RESULTS.md instead, in place of their
// earlier figures, each saying the command, date and load of its own run; the rest is kept.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { benchCheckWallTime } from "./check-wall-time.js";
import { benchCrash } from "./daemon-crash.js";
import { benchFreeze } from "./daemon-freeze.js";
import { benchIdle, type IdleScenario } from "./daemon-idle.js";
import { mergeResults } from "./merge-results.js";
import { benchNetChecks } from "./net-checks.js";
import { describeCommandLine, describeMachine, handWrittenPart, renderResults, type Section } from "./report.js";
import { benchSystemdCrash } from "./systemd-crash.js";
import { benchSystemdIdle, type SystemdIdleScenario } from "./systemd-idle.js";
import { benchTail } from "./tail.js";
import { benchProbes } from "./probes.js";
import { benchSchedules } from "./schedules.js";
import { benchMemoryWindow } from "./memory-window.js";
import { launcherV8Flags } from "./variants.js";
import { benchWeigh } from "./weigh.js";

const BENCH_DIR = import.meta.dirname;
const DATA_DIR = join(BENCH_DIR, "data");
const PARTS = ["tail", "check", "net", "freeze", "crash", "systemd-crash", "weigh", "idle", "systemd-idle", "memory", "probes", "schedules"] as const;
type Part = (typeof PARTS)[number];
const GROUPS: Record<string, readonly Part[]> = { daemon: ["freeze", "crash", "systemd-crash", "weigh", "idle", "systemd-idle", "memory"] };

/** The daemon's idle goals (issues 3, 11 and 14): the first two share one window with the floor, bare Node and PM2's daemon. */
const TOGETHER: IdleScenario[] = [
  { services: 1, intervalMs: 1000, scrapeEveryMs: null, cpuGoal: 0.2, cpuCompetitor: "–", memoryGoal: true },
  // The same daemon as it usually runs: asked for its health, status and metrics. No goal; the cost of being served.
  { services: 1, intervalMs: 1000, scrapeEveryMs: 15_000, cpuGoal: null, cpuCompetitor: "–", memoryGoal: false },
];
/** Issue 14: 50 services at 1 s beside monit watching the same bots and logs, CPU at most monit's; 200 services at 5 s within 1 % of a core. */
const ALONE: IdleScenario[] = [
  { services: 50, intervalMs: 1000, scrapeEveryMs: null, cpuGoal: null, cpuCompetitor: "monit", memoryGoal: false, peer: "monit" },
  { services: 200, intervalMs: 5000, scrapeEveryMs: null, cpuGoal: 1, cpuCompetitor: "–", memoryGoal: false },
];
/** Issue 14's scale goals in systemd mode: 50 units at 1 s, 200 units at 5 s under 1 % of a core. */
const SYSTEMD_IDLE: SystemdIdleScenario[] = [
  { units: 50, intervalMs: 1000, cpuGoal: null, monit: true },
  { units: 200, intervalMs: 5000, cpuGoal: 1 },
];

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "no-sandbox": { type: "boolean", default: false },
    clean: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    quick: { type: "boolean", default: false },
    merge: { type: "boolean", default: false },
  },
});
const named = [...positionals, ...(flags.only ?? [])];
const unknown = named.filter((part) => !PARTS.includes(part as Part) && GROUPS[part] === undefined);
if (unknown.length > 0) throw new Error(`Unknown part ${unknown.map((part) => `"${part}"`).join(", ")}: expected ${[...PARTS, ...Object.keys(GROUPS)].join(", ")}`);
const only = new Set<string>(named.length === 0 ? PARTS : named.flatMap((part): readonly string[] => GROUPS[part] ?? [part]));
const runs = (part: Part): boolean => only.has(part);
const quick = flags.quick;
const partial = quick || only.size < PARTS.length;
const committed = join(BENCH_DIR, "RESULTS.md");
if (flags.merge && (quick || !partial)) throw new Error("--merge writes some parts' figures into bench/RESULTS.md: name the parts, without --quick");
const results = partial && !flags.merge ? join(BENCH_DIR, "RESULTS.partial.md") : committed;

const started = performance.now();
const machine = describeMachine();
const progress = (text: string): void => void process.stderr.write(`bench: ${text}\n`);
const window = { settleMs: quick ? 2000 : 5000, windowMs: quick ? 10_000 : 60_000, sampleMs: 1000 };

const sections: Section[] = [];
try {
  if (runs("tail")) {
    progress("readTailLines at 1 KiB, 1 MiB, 100 MiB and 1 GiB (writes missing logs to bench/data first)");
    sections.push(await benchTail({ dataDir: DATA_DIR, warmup: quick ? 5 : 20, iterations: quick ? 30 : 200, coldIterations: quick ? 5 : 20, retainedCalls: quick ? 200 : 2000 }));
  }
  if (runs("check")) {
    progress("lifeguard check wall time, with and without the code cache");
    sections.push(await benchCheckWallTime({ dataDir: DATA_DIR, warmup: quick ? 1 : 3, runs: quick ? 5 : 30, sandbox: !flags["no-sandbox"] }));
  }
  if (runs("net")) {
    progress("http, tcp and exec checks against a loopback server, beside curl and a bare spawn; an endless body");
    sections.push(await benchNetChecks({ warmup: quick ? 5 : 20, iterations: quick ? 30 : 200, endlessRuns: quick ? 50 : 1000 }));
  }
  if (runs("freeze")) {
    progress("daemon: freeze to recovery (SIGSTOP the bot, at 30 s and 1 s intervals)");
    sections.push(await benchFreeze({ runs: [{ intervalMs: 30_000, trials: quick ? 3 : 10 }, { intervalMs: 1000, trials: quick ? 2 : 5 }] }));
  }
  if (runs("crash")) {
    progress("daemon: crash to new process beside PM2 and supervisord (SIGKILL the bots; installs PM2 into bench/.peers and supervisord with apt-get on first use)");
    sections.push(await benchCrash({ trials: quick ? 5 : 40 }));
  }
  if (runs("systemd-crash")) {
    progress("daemon: crash and freeze to new process in systemd mode, beside systemd's own Restart= (SIGKILL and SIGSTOP the units in a sandbox)");
    sections.push(await benchSystemdCrash({ trials: quick ? 5 : 15, freezeTrials: quick ? 3 : 10, sandbox: !flags["no-sandbox"] }));
  }
  if (runs("weigh")) {
    progress(`daemon: each piece of the memory machinery weighed (variants side by side, ${window.windowMs / 1000} s)`);
    sections.push(await benchWeigh({ dataDir: DATA_DIR, ...window, instances: quick ? 1 : 3 }));
  }
  if (runs("idle")) {
    progress(`daemon: idle CPU and memory beside the floor, PM2's daemon and monit (${1 + ALONE.length} windows of ${window.windowMs / 1000} s; installs PM2 into bench/.peers on first use, and monit with apt-get when missing)`);
    sections.push(await benchIdle({ ...window, together: TOGETHER, alone: ALONE, v8Flags: launcherV8Flags() }));
  }
  if (runs("systemd-idle")) {
    progress(`daemon: idle CPU in systemd mode, with PID 1's and the bus's share (${SYSTEMD_IDLE.length} sandboxes, windows of ${window.windowMs / 1000} s)`);
    sections.push(await benchSystemdIdle({ ...window, scenarios: SYSTEMD_IDLE, sandbox: !flags["no-sandbox"] }));
  }
  if (runs("schedules")) {
    progress("schedules: which window applies now and when it changes, first look and each round after");
    sections.push(benchSchedules({ samples: quick ? 50 : 400 }));
  }
  if (runs("probes")) {
    progress("process-level probes: one round of the connection, memory and cpu checks for 1 and 200 supervised bots, and one forensics capture");
    sections.push(await benchProbes({ scenarios: [1, 200], rounds: quick ? 3 : 10, captures: quick ? 5 : 30 }));
  }
  if (runs("memory")) {
    progress(`daemon: memory per service over ${quick ? 1 : 10} minutes (1 service, 200 services, 200 services with V8's default heap sizing, in one window)`);
    sections.push(await benchMemoryWindow({ dataDir: DATA_DIR, settleMs: window.settleMs, windowMs: (quick ? 1 : 10) * 60_000, sampleMs: 1000 }));
  }
} finally {
  if (flags.clean) rmSync(DATA_DIR, { recursive: true, force: true });
}
const command = describeCommandLine("bench", "bench/run.ts");
const previous = readOptional(committed);
if (flags.merge) {
  const runAlone = `Run alone, apart from the header's run: ${command} on ${machine.date}; load average ${machine.load.toFixed(2)} at the start, ${loadavg()[0]?.toFixed(2)} at the end (1 min).`;
  const marked = sections.map((section) => ({ ...section, method: [runAlone, ...section.method] }));
  writeFileSync(results, mergeResults(previous, renderResults(command, machine, performance.now() - started, marked)));
} else {
  writeFileSync(results, renderResults(command, machine, performance.now() - started, sections, handWrittenPart(previous)));
}
progress(`wrote ${relative(process.cwd(), results)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);

function readOptional(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
