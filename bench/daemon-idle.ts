import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { waitFor } from "../src/testing/wait-for.js";
import { withDaemonLab, type Daemon, type Shutdown } from "./daemon-lab.js";
import { DEFAULT_SETTLE_MS } from "../src/runners/process.js";
import { cleanupFinding, formatSeconds } from "./daemon-report.js";
import { CLOCK_TICKS, readProcUsage, type ProcUsage } from "./proc-usage.js";
import { formatBytes, verdict, type Section, type Table } from "./report.js";
import { summarise, type Summary } from "./stats.js";

const MIB = 1024 * 1024;
/**
 * A sleeping bot that writes its pid first (sh execs sleep, so the pid stays): nothing to do but be
 * watched. `$$$$` because the config interpolates `$$` to `$`: the shell sees `echo $$`.
 */
const SLEEPER = ["/bin/sh", "-c", 'echo $$$$ > "$0"; exec /bin/sleep 100000'];
/** A Node process that does nothing but keep its event loop alive. */
const BARE_NODE = "setInterval(() => {}, 1000)";
/** The daemon's I/O for 1 service without Lifeguard: HTTP server, a child, SQLite, the log stat()ed and watched. */
const FLOOR_PROGRAM = join(import.meta.dirname, "bots", "floor.cjs");
/** What a served daemon is asked, in turn, each time. */
const SCRAPED_PATHS = ["/healthz", "/api/status", "/metrics"];
/** The background writer appends a line to every watched log this often: a log that is written to, rarely. */
const WRITER_EVERY_MS = 10_000;
/** CPU is read per slice of this length too, to show how steady it is (a tick is 10 ms: 0.1 % of one core over 10 s). */
const CPU_SLICE_MS = 10_000;

/** One idle daemon: `services` sleeping bots checked every `intervalMs`, and the goals for it. */
export interface IdleScenario {
  services: number;
  intervalMs: number;
  /** Requests /healthz, /api/status and /metrics this often, from the start to the end of the window (as a status check and a Prometheus would); null: no request at all. */
  scrapeEveryMs: number | null;
  /** % of one core over the window; null: no goal. */
  cpuGoal: number | null;
  cpuCompetitor: string;
  rssGoalBytes: number | null;
  rssCompetitor: string;
}

export interface IdleBenchOptions {
  /** Time after "Lifeguard started" before measuring: the first rounds and JIT warm-up. */
  settleMs: number;
  windowMs: number;
  sampleMs: number;
  scenarios: IdleScenario[];
}

interface Sample {
  at: number;
  usage: ProcUsage;
}

interface IdleRun {
  scenario: IdleScenario;
  samples: Sample[];
  startupMs: number;
  /** Services whose checks ran within the last interval (plus slack) when the window ended. */
  roundsFresh: number;
  restarts: number;
  shutdown: Shutdown;
}

/** The daemon's own CPU and memory while nothing happens: 1 service at 1 s, 200 at 5 s. */
export async function benchIdle(options: IdleBenchOptions): Promise<Section> {
  const runs: IdleRun[] = [];
  for (const scenario of options.scenarios) runs.push(await idleRun(scenario, options));
  return describe(runs, { bare: await sampleBareNode(options), floor: await sampleFloor(options) }, options);
}

/** Baselines, sampled as the daemons are (for a fifth of the window). */
interface Baselines {
  bare: Sample[];
  floor: Sample[];
}

/** The floor: RSS of a Node process that only keeps a timer, sampled as the daemons are (for a fifth of the window). */
async function sampleBareNode(options: IdleBenchOptions): Promise<Sample[]> {
  const child = spawn(process.execPath, ["-e", BARE_NODE], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await delay(options.settleMs);
    return await sampleBaseline(child.pid as number, options);
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
}

const sampleBaseline = (pid: number, options: IdleBenchOptions): Promise<Sample[]> => sample(pid, { ...options, windowMs: Math.max(options.sampleMs, options.windowMs / 5) });

/** The floor program (bench/bots/floor.cjs) in a lab of its own; its sleeping child is ended by PID whatever happens. */
async function sampleFloor(options: IdleBenchOptions): Promise<Sample[]> {
  return withDaemonLab("floor", async (lab) => {
    const log = join(lab.dir, "svc.log");
    appendFileSync(log, `${new Date().toISOString()} INFO still here\n`);
    const child = spawn(process.execPath, [FLOOR_PROGRAM, lab.dir, log], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => void (output += chunk));
    try {
      if (!(await waitFor(() => output.includes("\n"), { timeoutMs: 30_000 }))) throw new Error("The floor program did not print its child's pid");
      lab.remember(Number(output.trim()));
      await delay(options.settleMs);
      return await sampleBaseline(child.pid as number, options);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });
}

async function idleRun(scenario: IdleScenario, options: IdleBenchOptions): Promise<IdleRun> {
  return withDaemonLab("idle", async (lab) => {
    const names = Array.from({ length: scenario.services }, (_, i) => `svc-${String(i + 1).padStart(3, "0")}`);
    mkdirSync(join(lab.dir, "logs"));
    const logOf = (name: string): string => join(lab.dir, "logs", `${name}.log`);
    const pidOf = (name: string): string => join(lab.dir, "logs", `${name}.pid`);
    const touch = (): void => names.forEach((name) => appendFileSync(logOf(name), `${new Date().toISOString()} INFO still here\n`));
    touch();
    const services = Object.fromEntries(names.map((name) => [name, {
      command: [...SLEEPER, pidOf(name)],
      interval: `${scenario.intervalMs / 1000}s`,
      checks: ["running", { "log-fresh": { path: logOf(name), "max-age": "1h" } }],
    }]));
    const writer = setInterval(touch, WRITER_EVERY_MS);
    let scraper: NodeJS.Timeout | undefined;
    try {
      const daemon = await lab.startDaemon({ services });
      if (scenario.scrapeEveryMs !== null) {
        await scrape(daemon);
        scraper = setInterval(() => void scrape(daemon), scenario.scrapeEveryMs);
      }
      const pids = await readPids(names.map(pidOf));
      pids.forEach(lab.remember);
      await delay(options.settleMs);
      const samples = await sample(daemon.pid, options);
      clearInterval(scraper);
      const roundsFresh = await countFreshRounds(daemon, scenario.intervalMs);
      const restarts = daemon.entries().filter((entry) => entry.data.event === "restart").length;
      return { scenario, samples, startupMs: daemon.readyAt - daemon.spawnedAt, roundsFresh, restarts, shutdown: await lab.stopDaemon() };
    } finally {
      clearInterval(writer);
      clearInterval(scraper);
    }
  });
}

/** One request to each of SCRAPED_PATHS, one after the other; a failed one fails the bench. */
async function scrape(daemon: Daemon): Promise<void> {
  for (const path of SCRAPED_PATHS) {
    const response = await fetch(`${daemon.url}${path}`);
    await response.text();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  }
}

async function readPids(files: string[]): Promise<number[]> {
  const read = (file: string): number => {
    try {
      return Number(readFileSync(file, "utf8").trim());
    } catch {
      return Number.NaN;
    }
  };
  if (!(await waitFor(() => files.every((file) => read(file) > 0), { timeoutMs: 30_000 }))) throw new Error("Not every sleeping bot wrote its pid file");
  return files.map(read);
}

/** Reads the daemon's /proc figures every `sampleMs` for `windowMs`; the bench itself stays idle in between. */
async function sample(pid: number, options: IdleBenchOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const start = performance.now();
  for (let next = start; next <= start + options.windowMs; next += options.sampleMs) {
    await delay(Math.max(0, next - performance.now()));
    const usage = readProcUsage(pid);
    if (usage === null) throw new Error(`The daemon (pid ${pid}) exited during the idle measurement`);
    samples.push({ at: performance.now(), usage });
  }
  return samples;
}

/** After the window: how many services' `log-fresh` checks ran within the last interval (+2 s), from /metrics. */
async function countFreshRounds(daemon: Daemon, intervalMs: number): Promise<number> {
  const text = await (await fetch(`${daemon.url}/metrics`)).text();
  const since = Date.now() / 1000 - intervalMs / 1000 - 2;
  const stamps = [...text.matchAll(/^lifeguard_check_timestamp_seconds\{([^}]*)\} (\S+)$/gm)].filter((m) => /check="log-fresh"/.test(m[1] ?? ""));
  return stamps.filter((m) => Number(m[2]) >= since).length;
}

/** % of one core between two samples. */
const cpuPercent = (from: Sample, to: Sample): number => ((to.usage.cpuTicks - from.usage.cpuTicks) / CLOCK_TICKS / ((to.at - from.at) / 1000)) * 100;

function cpuFigures(samples: Sample[], sampleMs: number): { whole: number; slices: Summary } {
  const step = Math.max(1, Math.round(CPU_SLICE_MS / sampleMs));
  const slices: number[] = [];
  for (let i = step; i < samples.length; i += step) slices.push(cpuPercent(samples[i - step] as Sample, samples[i] as Sample));
  const whole = cpuPercent(samples[0] as Sample, samples.at(-1) as Sample);
  return { whole, slices: summarise(slices.length > 0 ? slices : [whole]) };
}

/** Rates over the window: rounds due, main-thread context switches, bytes written. */
function activityOf(run: IdleRun): { seconds: number; roundsPerSecond: number; wakeupsPerSecond: number; wchar: number | null; writeBytes: number | null } {
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

const cpuGoalCells = (goal: number | null, whole: number): string[] => (goal === null ? ["–", ""] : [`< ${goal} %`, verdict(whole < goal)]);
const label = (s: IdleScenario): string =>
  `${s.services} service${s.services === 1 ? "" : "s"} at ${s.intervalMs / 1000} s${s.scrapeEveryMs === null ? "" : `, served (${SCRAPED_PATHS.join(", ")} every ${s.scrapeEveryMs / 1000} s)`}`;
const percent = (value: number): string => `${value.toFixed(2)} %`;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

function describe(runs: IdleRun[], baselines: Baselines, options: IdleBenchOptions): Section {
  const cpu: Table = {
    caption: `CPU of the daemon's process (all its threads, not its children), % of one core over ${formatSeconds(options.windowMs)}`,
    columns: ["daemon", "whole window", `per ${CPU_SLICE_MS / 1000} s: median`, "p95", "min – max", "n", "goal", "", "competitor"],
    rows: runs.map((run) => {
      const { whole, slices } = cpuFigures(run.samples, options.sampleMs);
      return [label(run.scenario), percent(whole), percent(slices.median), percent(slices.p95), `${percent(slices.min)} – ${percent(slices.max)}`, String(slices.n), ...cpuGoalCells(run.scenario.cpuGoal, whole), run.scenario.cpuCompetitor];
    }),
  };
  const memoryRow = (name: string, samples: Sample[], goal: number | null, competitor: string): string[] => {
    const rss = summarise(samples.map((s) => s.usage.rssBytes));
    const median = (pick: (usage: ProcUsage) => number): string => mib(summarise(samples.map((s) => pick(s.usage))).median);
    const hwm = (samples.at(-1) as Sample).usage.hwmBytes;
    return [name, mib(rss.median), mib(rss.p95), `${mib(rss.min)} – ${mib(rss.max)}`, String(rss.n), median((u) => u.rssFileBytes), median((u) => u.rssAnonBytes), mib(hwm), goal === null ? "–" : `< ${formatBytes(goal)}`, goal === null ? "" : verdict(rss.max < goal), competitor];
  };
  const memory: Table = {
    caption: `Resident memory of the daemon's process (VmRSS every ${options.sampleMs / 1000} s, split into RssFile and RssAnon; VmHWM, its peak since it started, at the end)`,
    columns: ["process", "VmRSS: median", "p95", "min – max", "n", "file-backed (median)", "anonymous (median)", "VmHWM", "goal", "", "competitor"],
    rows: [
      ...runs.map((run) => memoryRow(label(run.scenario), run.samples, run.scenario.rssGoalBytes, run.scenario.rssCompetitor)),
      memoryRow("floor: the same I/O without Lifeguard (`bench/bots/floor.cjs`)", baselines.floor, null, "–"),
      memoryRow(`baseline: bare Node (\`node -e "${BARE_NODE}"\`)`, baselines.bare, null, "–"),
    ],
  };
  const activity: Table = {
    caption: `What the daemon's process did over the ${formatSeconds(options.windowMs)}: wake-ups of its main thread, bytes it wrote`,
    columns: ["daemon", "rounds due / s", "main-thread wake-ups / s", "written (wchar) / min", "to the block device (write_bytes) / min", "written per round due"],
    rows: runs.map((run) => {
      const a = activityOf(run);
      const perMinute = (bytes: number | null): string => (bytes === null ? "–" : `${formatBytes(Math.round((bytes / a.seconds) * 60))}`);
      return [label(run.scenario), a.roundsPerSecond.toFixed(1), a.wakeupsPerSecond.toFixed(1), perMinute(a.wchar), perMinute(a.writeBytes), a.wchar === null ? "–" : formatBytes(Math.round(a.wchar / (a.roundsPerSecond * a.seconds)))];
    }),
  };
  return {
    title: "Daemon: idle CPU and memory",
    method: [
      "The built CLI, `node bin/lifeguard.js run -c CFG`, in supervisor mode: each service is a sleeping bot (`/bin/sh -c 'echo $$ > PIDFILE; exec /bin/sleep 100000'`, a `command:` service) with the checks `running` and `log-fresh` (`max-age: 1h`) on a log of its own, to which the bench appends a line every 10 s. The daemon logs to a file (JSON lines), which stays quiet while all is well. HTTP on `127.0.0.1:0`.",
      `Per daemon: wait for "Lifeguard started" (every service started), then ${formatSeconds(options.settleMs)} to settle, then read \`/proc/PID/stat\` (utime + stime, in ${CLOCK_TICKS} Hz ticks) and \`/proc/PID/status\` (VmRSS, RssFile, RssAnon, VmHWM) of the daemon's own pid every ${options.sampleMs / 1000} s for ${formatSeconds(options.windowMs)}; its children (the bots) are not counted. CPU % = CPU time / wall time; the per-${CPU_SLICE_MS / 1000}-s slices show how steady it is (one tick is ${(100 / CLOCK_TICKS / (CPU_SLICE_MS / 1000)).toFixed(2)} % of a slice).`,
      "Wake-ups: context switches of the daemon's main thread (`/proc/PID/status`, the thread group leader), where its event loop runs; each timer that fires is at least one. Writes: `/proc/PID/io` deltas over the window, `wchar` what write calls were given, `write_bytes` what went to the block device (the SQLite store, the log, and the bots' output the daemon copies to files: these bots print nothing).",
      "After the window the bench reads `/metrics` once (outside the window) to confirm every service's checks ran within its last interval, i.e. the daemon was doing its rounds and not merely asleep.",
    ],
    tables: [cpu, memory, activity],
    findings: findings(runs, baselines, options),
  };
}

function findings(runs: IdleRun[], { bare, floor }: Baselines, options: IdleBenchOptions): string[] {
  const medianOf = (samples: Sample[], pick: (usage: ProcUsage) => number): number => summarise(samples.map((s) => pick(s.usage))).median;
  const out = runs.map((run) => {
    const { whole } = cpuFigures(run.samples, options.sampleMs);
    const rssMax = Math.max(...run.samples.map((s) => s.usage.rssBytes));
    const goal = run.scenario.rssGoalBytes;
    const memory = goal === null ? "" : `; ${verdict(rssMax < goal)} RSS at most ${mib(rssMax)} (goal under ${formatBytes(goal)}; ${run.scenario.rssCompetitor})`;
    const cpuGoal = run.scenario.cpuGoal;
    const cpu = cpuGoal === null ? `${label(run.scenario)}: ${percent(whole)} of one core` : `${verdict(whole < cpuGoal)} ${label(run.scenario)}: ${percent(whole)} of one core (goal under ${cpuGoal} %; ${run.scenario.cpuCompetitor})`;
    return `${cpu}${memory}.`;
  });
  const first = runs[0];
  if (first !== undefined) {
    const rss = (samples: Sample[]): number => medianOf(samples, (u) => u.rssBytes);
    const file = (samples: Sample[]): number => medianOf(samples, (u) => u.rssFileBytes);
    out.push(`Memory floor: a bare Node process keeping one timer is ${mib(rss(bare))} resident here (${mib(file(bare))} of it file-backed, mostly the node binary's pages); the daemon with ${label(first.scenario)} is ${mib(rss(first.samples))} (${mib(file(first.samples))} file-backed), so Lifeguard itself adds ${mib(rss(first.samples) - rss(bare))}, of which ${mib(file(first.samples) - file(bare))} are more pages of the node binary and native addons (code Node runs for the daemon) and ${mib(medianOf(first.samples, (u) => u.rssAnonBytes) - medianOf(bare, (u) => u.rssAnonBytes))} anonymous memory (JS heap, malloc, SQLite).`);
    out.push(`The same I/O without Lifeguard (\`bench/bots/floor.cjs\`: an HTTP server on loopback, one sleeping child, a SQLite store written every second, the log stat()ed every second and watched) is ${mib(rss(floor))} resident (${mib(file(floor))} file-backed): of the daemon's ${mib(rss(first.samples))}, ${mib(rss(first.samples) - rss(floor))} are Lifeguard's own code and data.`);
  }
  for (const run of runs) {
    const a = activityOf(run);
    // A timer far more frequent than the rounds: the event loop wakes for something other than checks.
    if (a.wakeupsPerSecond > 10 * Math.max(1, a.roundsPerSecond)) out.push(`${label(run.scenario)}: the main thread woke ${a.wakeupsPerSecond.toFixed(0)} times a second for ${a.roundsPerSecond.toFixed(1)} rounds due a second: a timer of about ${(1000 / a.wakeupsPerSecond).toFixed(0)} ms runs besides the rounds.`);
    // Nothing changed in these rounds (no failure, no restart): bytes written per round are the rounds' own bookkeeping.
    if (a.writeBytes !== null && a.writeBytes > 0) out.push(`${label(run.scenario)}: with nothing to report, the daemon still wrote ${formatBytes(Math.round(a.writeBytes / (a.roundsPerSecond * a.seconds)))} to the block device per round due, ${formatBytes(Math.round((a.writeBytes / a.seconds) * 86_400))} a day at this rate (wear on an SD card).`);
    out.push(`${label(run.scenario)}: "Lifeguard started" ${formatSeconds(run.startupMs)} after the spawn (the services are started one after another, each watched ${DEFAULT_SETTLE_MS} ms for an immediate exit); ${run.roundsFresh} of ${run.scenario.services} services had their checks run within the last interval when the window ended; ${run.restarts} restarts.`);
  }
  out.push(cleanupFinding(runs.map((run) => run.shutdown)));
  return out;
}
