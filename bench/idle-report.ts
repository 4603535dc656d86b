import { cleanupFinding, formatSeconds } from "./daemon-report.js";
import { BARE_NODE } from "./companions.js";
import { SCRAPED_PATHS, type IdleRun, type IdleShape } from "./idle-daemon.js";
import { PM2_VERSION, pm2StopFinding, type Pm2Stop } from "./pm2.js";
import { CLOCK_TICKS, type ProcUsage } from "./proc-usage.js";
import { formatBytes, verdict, type Section, type Table } from "./report.js";
import { CPU_SLICE_MS, cpuFigures, medianOf, mib, percent, type Sample } from "./sampling.js";
import { summarise } from "./stats.js";
import { DEFAULT_SETTLE_MS } from "../src/runners/process.js";

const MIB = 1024 * 1024;
/** Issue 11's memory goal: below PM2's daemon in the same window, and at most this much over the floor. */
export const FLOOR_MARGIN_BYTES = 5 * MIB;
const PM2_LABEL = `PM2 ${PM2_VERSION}: its God daemon supervising one sleeping bot (\`/bin/sleep 100000\`)`;

/** One idle daemon and the goals it is judged by. */
export interface IdleScenario extends IdleShape {
  /** % of one core over the window; null: no goal. */
  cpuGoal: number | null;
  cpuCompetitor: string;
  /** Judged by the memory goal (below PM2, at most FLOOR_MARGIN_BYTES over the floor). */
  memoryGoal: boolean;
  /** Measured beside monit in its window (issue 14: CPU at most monit's). */
  peer?: "monit";
}

export interface IdleBenchOptions {
  /** Time after the last process started before measuring: the first rounds and JIT warm-up. */
  settleMs: number;
  windowMs: number;
  sampleMs: number;
  /** Daemons measured in one window, with the floor, bare Node and PM2's daemon. */
  together: IdleScenario[];
  /** Daemons measured each in a window of its own (too busy to share one). */
  alone: IdleScenario[];
  /** The V8 flags the launcher sets for `run`: the floor program sets the same. */
  v8Flags: readonly string[];
}

/** What was sampled beside the daemons in the shared window; PM2 is a reason where it could not run. */
export interface Companions {
  bare: Sample[];
  floor: Sample[];
  pm2: { samples: Sample[]; stop: Pm2Stop } | { reason: string };
}

type Run = IdleRun<IdleScenario>;

export const label = (s: IdleShape): string =>
  `${s.services} service${s.services === 1 ? "" : "s"} at ${s.intervalMs / 1000} s${s.scrapeEveryMs === null ? "" : `, served (${SCRAPED_PATHS.join(", ")} every ${s.scrapeEveryMs / 1000} s)`}`;
const rssMedian = (samples: Sample[]): number => medianOf(samples, (u) => u.rssBytes);

/** Columns of a memory table, after the process's name. */
export const MEMORY_COLUMNS = ["VmRSS: median", "p95", "min – max", "n", "file-backed (median)", "anonymous (median)", "VmHWM"];

/** The cells of MEMORY_COLUMNS for one process's samples. */
export function memoryCells(samples: Sample[]): string[] {
  const rss = summarise(samples.map((s) => s.usage.rssBytes));
  const median = (pick: (usage: ProcUsage) => number): string => mib(medianOf(samples, pick));
  return [mib(rss.median), mib(rss.p95), `${mib(rss.min)} – ${mib(rss.max)}`, String(rss.n), median((u) => u.rssFileBytes), median((u) => u.rssAnonBytes), mib((samples.at(-1) as Sample).usage.hwmBytes)];
}

/** Issue 11's memory goal for a daemon's samples, against PM2's and the floor's in the same window. */
export function judgeMemory(daemon: Sample[], floor: Sample[], pm2: Sample[] | null): { ok: boolean; text: string } {
  const margin = rssMedian(daemon) - rssMedian(floor);
  const marginOk = margin <= FLOOR_MARGIN_BYTES;
  const againstFloor = `${mib(margin)} over the floor (${mib(rssMedian(floor))}; at most ${formatBytes(FLOOR_MARGIN_BYTES)}) ${verdict(marginOk)}`;
  if (pm2 === null) return { ok: false, text: `${mib(rssMedian(daemon))}: PM2 not measured, so the goal cannot be judged; ${againstFloor}` };
  const ratio = rssMedian(daemon) / rssMedian(pm2);
  const pm2Ok = ratio < 1;
  return { ok: pm2Ok && marginOk, text: `${mib(rssMedian(daemon))} against PM2's daemon's ${mib(rssMedian(pm2))} in the same window (Lifeguard/PM2 = ${ratio.toFixed(2)}) ${verdict(pm2Ok)}; ${againstFloor}` };
}

export function describeIdle(runs: Run[], companions: Companions, options: IdleBenchOptions): Section {
  const pm2 = "samples" in companions.pm2 ? companions.pm2.samples : null;
  const pm2Reason = "reason" in companions.pm2 ? companions.pm2.reason : "";
  const goalCells = (run: Run): string[] => {
    if (!run.scenario.memoryGoal) return ["–", ""];
    return [`< PM2, ≤ floor + ${formatBytes(FLOOR_MARGIN_BYTES)}`, verdict(judgeMemory(run.samples, companions.floor, pm2).ok)];
  };
  const cpuGoalCells = (goal: number | null, whole: number): string[] => (goal === null ? ["–", ""] : [`< ${goal} %`, verdict(whole < goal)]);
  const cpuRow = (name: string, samples: Sample[], goal: number | null, competitor: string): string[] => {
    const { whole, slices } = cpuFigures(samples, options.sampleMs);
    return [name, percent(whole), percent(slices.median), percent(slices.p95), `${percent(slices.min)} – ${percent(slices.max)}`, String(slices.n), ...cpuGoalCells(goal, whole), competitor];
  };
  const cpu: Table = {
    caption: `CPU of each process (all its threads, not its children), % of one core over ${formatSeconds(options.windowMs)}`,
    columns: ["process", "whole window", `per ${CPU_SLICE_MS / 1000} s: median`, "p95", "min – max", "n", "goal", "", "competitor"],
    rows: [
      ...runs.flatMap((run) => {
        const row = cpuRow(label(run.scenario), run.samples, run.scenario.cpuGoal, run.scenario.cpuCompetitor);
        const monit = run.monit !== undefined && "samples" in run.monit ? run.monit : null;
        if (monit === null) return [row];
        const ok = cpuFigures(run.samples, options.sampleMs).whole <= cpuFigures(monit.samples, options.sampleMs).whole;
        row.splice(6, 3, "≤ monit, same window", verdict(ok), "monit (next row)");
        return [row, cpuRow(monitLabel(run), monit.samples, null, "–")];
      }),
      ...(pm2 === null ? [] : [cpuRow(PM2_LABEL, pm2, null, "–")]),
    ],
  };
  const memory: Table = {
    caption: `Resident memory of each process (VmRSS every ${options.sampleMs / 1000} s, split into RssFile and RssAnon; VmHWM, its peak since it started, at the end)`,
    columns: ["process", ...MEMORY_COLUMNS, "goal", ""],
    rows: [
      ...runs.map((run) => [label(run.scenario), ...memoryCells(run.samples), ...goalCells(run)]),
      ["floor: the same I/O without Lifeguard (`bench/bots/floor.cjs`)", ...memoryCells(companions.floor), "–", ""],
      [`baseline: bare Node (\`node -e "${BARE_NODE}"\`)`, ...memoryCells(companions.bare), "–", ""],
      pm2 === null ? [PM2_LABEL, `not measured: ${pm2Reason}`, ...MEMORY_COLUMNS.slice(1).map(() => "–"), "–", ""] : [PM2_LABEL, ...memoryCells(pm2), "–", ""],
    ],
  };
  const beside = monitTable(runs, options);
  return {
    title: "Daemon: idle CPU and memory",
    method: method(runs, options),
    tables: [cpu, ...(beside === null ? [] : [beside]), memory, activityTable(runs, options)],
    findings: findings(runs, companions, options),
  };
}

const monitLabel = (run: Run): string => {
  const version = run.monit !== undefined && "version" in run.monit ? ` ${run.monit.version}` : "";
  return `monit${version}: ${run.scenario.services} process checks (by pid file) + ${run.scenario.services} file timestamp checks, \`set daemon 1\`, beside "${label(run.scenario)}"`;
};

/** CPU seconds a minute over the window. */
const cpuPerMinute = (samples: Sample[], sampleMs: number): number => (cpuFigures(samples, sampleMs).whole / 100) * 60;

/** Issue 14's goal: Lifeguard's CPU a minute at most monit's, both watching the same bots in one window. */
function monitTable(runs: Run[], options: IdleBenchOptions): Table | null {
  const beside = runs.filter((run) => run.scenario.peer === "monit");
  if (beside.length === 0) return null;
  return {
    caption: "CPU a minute beside monit (same window, the same bots and logs)",
    columns: ["daemon", "Lifeguard: CPU s / min", "monit: CPU s / min", "Lifeguard ÷ monit", "goal", ""],
    rows: beside.map((run) => {
      const ours = cpuPerMinute(run.samples, options.sampleMs);
      if (run.monit === undefined || "reason" in run.monit) return [label(run.scenario), `${ours.toFixed(3)} s`, `not measured: ${run.monit?.reason ?? "–"}`, "–", "≤ monit", ""];
      const theirs = cpuPerMinute(run.monit.samples, options.sampleMs);
      return [label(run.scenario), `${ours.toFixed(3)} s`, `${theirs.toFixed(3)} s`, theirs === 0 ? "–" : `${(ours / theirs).toFixed(2)}×`, "≤ monit", verdict(ours <= theirs)];
    }),
  };
}

function method(runs: Run[], options: IdleBenchOptions): string[] {
  const together = runs.filter((run) => options.together.includes(run.scenario)).map((run) => label(run.scenario));
  return [
    "The built CLI, `node bin/lifeguard.js run -c CFG`, in supervisor mode: each service is a sleeping bot (`/bin/sh -c 'echo $$ > PIDFILE; exec /bin/sleep 100000'`, a `command:` service) with the checks `running` and `log-fresh` (`max-age: 1h`) on a log of its own, to which the bench appends a line every 10 s. The daemon logs to a file (JSON lines), which stays quiet while all is well. HTTP on `127.0.0.1:0`.",
    `One window for ${together.join("; ")}, the floor program, bare Node and PM2 ${PM2_VERSION}'s daemon (installed for the bench only, pinned, into \`bench/.peers/\`; \`PM2_HOME\` in a temporary directory; \`pm2 start /bin/sleep --interpreter none -- 100000\`), started one after the other and sampled at the same ticks; every other daemon in a window of its own. The floor program sets the V8 flags the launcher sets for \`run\` (${options.v8Flags.length === 0 ? "none" : options.v8Flags.map((f) => `\`${f}\``).join(", ")}).`,
    `Per window: wait for every process to start (a daemon's "Lifeguard started"), then ${formatSeconds(options.settleMs)} to settle, then read \`/proc/PID/stat\` (utime + stime, in ${CLOCK_TICKS} Hz ticks) and \`/proc/PID/status\` (VmRSS, RssFile, RssAnon, VmHWM) of each process's own pid every ${options.sampleMs / 1000} s for ${formatSeconds(options.windowMs)}; children (the bots) are not counted. CPU % = CPU time / wall time; the per-${CPU_SLICE_MS / 1000}-s slices show how steady it is (one tick is ${(100 / CLOCK_TICKS / (CPU_SLICE_MS / 1000)).toFixed(2)} % of a slice).`,
    "Wake-ups: context switches of the daemon's main thread (`/proc/PID/status`, the thread group leader), where its event loop runs; each timer that fires is at least one. Writes: `/proc/PID/io` deltas over the window, `wchar` what write calls were given, `write_bytes` what went to the block device (the SQLite store, the log, and the bots' output the daemon copies to files: these bots print nothing).",
    "After the window the bench reads `/metrics` once (outside the window) to confirm every service's checks ran within its last interval or still hold (a followed finding's timestamp is the scrape's: docs/architecture.md, \"A round of `lifeguard run`\"), i.e. the daemon's loops were alive.",
    ...(runs.some((run) => run.scenario.peer === "monit") ? [`monit (Debian's \`monit\` package, installed with \`apt-get install monit\` when missing and the bench runs as root) runs in the window of ${runs.filter((run) => run.scenario.peer === "monit").map((run) => `"${label(run.scenario)}"`).join(", ")}, started after the daemon: \`monit -c FILE -I\` (in the foreground, ended by SIGTERM to its pid), its control file, state, id and log in the window's temporary directory, no \`set httpd\` (it serves nothing), \`set daemon 1\` (a 1 s cycle), and per service of the daemon \`check process NAME with pidfile PIDFILE\` on the same sleeping bot and \`check file NAME-log with path LOG\` \`if timestamp > 60 minutes then alert\` on the same log (log-fresh's max-age). Both processes' own CPU (not their children's) is read at the same ticks.`] : []),
  ];
}

/** Rates over the window: rounds due, main-thread context switches, bytes written. */
function activityOf(run: Run): { seconds: number; roundsPerSecond: number; wakeupsPerSecond: number; wchar: number | null; writeBytes: number | null } {
  const first = (run.samples[0] as Sample).usage;
  const last = (run.samples.at(-1) as Sample).usage;
  const seconds = ((run.samples.at(-1) as Sample).at - (run.samples[0] as Sample).at) / 1000;
  const io = first.io !== null && last.io !== null ? { wchar: last.io.wchar - first.io.wchar, writeBytes: last.io.writeBytes - first.io.writeBytes } : null;
  return {
    seconds,
    roundsPerSecond: run.scenario.services / (run.scenario.intervalMs / 1000),
    wakeupsPerSecond: (last.mainThreadSwitches - first.mainThreadSwitches) / seconds,
    wchar: io?.wchar ?? null,
    writeBytes: io?.writeBytes ?? null,
  };
}

function activityTable(runs: Run[], options: IdleBenchOptions): Table {
  return {
    caption: `What the daemon's process did over the ${formatSeconds(options.windowMs)}: wake-ups of its main thread, bytes it wrote`,
    columns: ["daemon", "rounds due / s", "main-thread wake-ups / s", "written (wchar) / min", "to the block device (write_bytes) / min", "written per round due"],
    rows: runs.map((run) => {
      const a = activityOf(run);
      const perMinute = (bytes: number | null): string => (bytes === null ? "–" : `${formatBytes(Math.round((bytes / a.seconds) * 60))}`);
      return [label(run.scenario), a.roundsPerSecond.toFixed(1), a.wakeupsPerSecond.toFixed(1), perMinute(a.wchar), perMinute(a.writeBytes), a.wchar === null ? "–" : formatBytes(Math.round(a.wchar / (a.roundsPerSecond * a.seconds)))];
    }),
  };
}

function findings(runs: Run[], { bare, floor, pm2 }: Companions, options: IdleBenchOptions): string[] {
  const pm2Samples = "samples" in pm2 ? pm2.samples : null;
  const out = runs.map((run) => {
    const { whole } = cpuFigures(run.samples, options.sampleMs);
    const cpuGoal = run.scenario.cpuGoal;
    const cpu = cpuGoal === null ? `${label(run.scenario)}: ${percent(whole)} of one core` : `${verdict(whole < cpuGoal)} ${label(run.scenario)}: ${percent(whole)} of one core (goal under ${cpuGoal} %; ${run.scenario.cpuCompetitor})`;
    if (!run.scenario.memoryGoal) return `${cpu}.`;
    const memory = judgeMemory(run.samples, floor, pm2Samples);
    return `${cpu}; ${verdict(memory.ok)} memory goal (below PM2's daemon in the same window, at most ${formatBytes(FLOOR_MARGIN_BYTES)} over the floor; medians): ${memory.text}.`;
  });
  if ("reason" in pm2) out.push(`PM2 ${PM2_VERSION} was not measured: ${pm2.reason}.`);
  const first = runs[0];
  if (first !== undefined) {
    const file = (samples: Sample[]): number => medianOf(samples, (u) => u.rssFileBytes);
    const anon = (samples: Sample[]): number => medianOf(samples, (u) => u.rssAnonBytes);
    out.push(`Memory floor: a bare Node process keeping one timer is ${mib(rssMedian(bare))} resident here (${mib(file(bare))} of it file-backed, mostly the node binary's pages); the daemon with ${label(first.scenario)} is ${mib(rssMedian(first.samples))} (${mib(file(first.samples))} file-backed), so Lifeguard itself adds ${mib(rssMedian(first.samples) - rssMedian(bare))}, of which ${mib(file(first.samples) - file(bare))} are more pages of the node binary and native addons (code Node runs for the daemon) and ${mib(anon(first.samples) - anon(bare))} anonymous memory (JS heap, malloc, SQLite).`);
    out.push(`The same I/O without Lifeguard (\`bench/bots/floor.cjs\`: an HTTP server on loopback, one sleeping child, a SQLite store written every second, the log stat()ed every second and watched) is ${mib(rssMedian(floor))} resident (${mib(file(floor))} file-backed): of the daemon's ${mib(rssMedian(first.samples))}, ${mib(rssMedian(first.samples) - rssMedian(floor))} are Lifeguard's own code and data.`);
  }
  for (const run of runs) out.push(...activityFindings(run));
  for (const run of runs) if (run.scenario.peer === "monit") out.push(monitFinding(run, options));
  out.push(cleanupFinding(runs.map((run) => run.shutdown)));
  if ("stop" in pm2) out.push(pm2StopFinding(pm2.stop));
  return out;
}

/** Issue 14's goal against monit, with both figures and how monit ended. */
function monitFinding(run: Run, options: IdleBenchOptions): string {
  const ours = cpuPerMinute(run.samples, options.sampleMs);
  if (run.monit === undefined || "reason" in run.monit) return `❌ ${label(run.scenario)}: ${ours.toFixed(3)} s of CPU a minute; monit was not measured, so the goal (at most monit's) cannot be judged: ${run.monit?.reason ?? "no peer"}.`;
  const theirs = cpuPerMinute(run.monit.samples, options.sampleMs);
  const { stop } = run.monit;
  const ended = stop.forced ? `SIGKILLed after SIGTERM was not enough` : `ended by SIGTERM to its pid in ${stop.tookMs} ms (exit ${stop.exitCode ?? stop.signal})`;
  return `${verdict(ours <= theirs)} Goal "CPU a minute at most monit's" (issue 14), ${label(run.scenario)}: Lifeguard ${ours.toFixed(3)} s, monit ${run.monit.version} ${theirs.toFixed(3)} s in the same window (Lifeguard ÷ monit = ${theirs === 0 ? "–" : (ours / theirs).toFixed(2)}); monit ${ended}.`;
}

function activityFindings(run: Run): string[] {
  const a = activityOf(run);
  const out: string[] = [];
  // A timer far more frequent than the rounds: the event loop wakes for something other than checks.
  if (a.wakeupsPerSecond > 10 * Math.max(1, a.roundsPerSecond)) out.push(`${label(run.scenario)}: the main thread woke ${a.wakeupsPerSecond.toFixed(0)} times a second for ${a.roundsPerSecond.toFixed(1)} rounds due a second: a timer of about ${(1000 / a.wakeupsPerSecond).toFixed(0)} ms runs besides the rounds.`);
  // Nothing changed in these rounds (no failure, no restart): bytes written per round are the rounds' own bookkeeping.
  if (a.writeBytes !== null && a.writeBytes > 0) out.push(`${label(run.scenario)}: with nothing to report, the daemon still wrote ${formatBytes(Math.round(a.writeBytes / (a.roundsPerSecond * a.seconds)))} to the block device per round due, ${formatBytes(Math.round((a.writeBytes / a.seconds) * 86_400))} a day at this rate (wear on an SD card).`);
  out.push(`${label(run.scenario)}: "Lifeguard started" ${formatSeconds(run.startupMs)} after the spawn (the services are started one after another, each watched ${DEFAULT_SETTLE_MS} ms for an immediate exit); ${run.roundsFresh} of ${run.scenario.services} services had their checks run within the last interval when the window ended; ${run.restarts} restarts.`);
  return out;
}
