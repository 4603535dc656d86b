// Idle CPU in systemd mode: the daemon watching N units in a sandbox, with what it costs systemd
// (PID 1) and the bus (dbus-daemon) counted beside its own, sampled in one window.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "../test/support/lab.js";
import { readEntries } from "./daemon-lab.js";
import { formatSeconds } from "./daemon-report.js";
import { SLEEPER } from "./idle-daemon.js";
import { verdict, type Section, type Table } from "./report.js";
import { CLOCK_TICKS } from "./proc-usage.js";
import { cpuFigures, percent, sampleTogether, type Sample } from "./sampling.js";
import { hostPidOf } from "./systemd-crash-lab.js";
import { ensureMonit, monitControlFile, type MonitBinary } from "./monit.js";

const TITLE = "Daemon: idle CPU in systemd mode";
const DAEMON_READY_MS = 300_000;
/** How often the bench appends a line to each unit's log, as the supervisor-mode idle bench does. */
const WRITER_EVERY_MS = 10_000;

/**
 * One daemon watching `units` units, every `intervalMs`; its goal in % of one core (Lifeguard,
 * PID 1 and the bus together), if any; with `monit`, monit watches the same bots and logs in the
 * same window (a unit of the sandbox, so that it sees the pid files' pids), and the goal is at
 * most its CPU.
 */
export interface SystemdIdleScenario {
  units: number;
  intervalMs: number;
  cpuGoal: number | null;
  monit?: boolean;
}

export interface SystemdIdleOptions {
  scenarios: SystemdIdleScenario[];
  settleMs: number;
  windowMs: number;
  sampleMs: number;
  sandbox: boolean;
}

/** The processes of one window and their samples. */
interface Window {
  scenario: SystemdIdleScenario;
  processes: Array<{ name: string; samples: Sample[] }>;
  startupMs: number;
  /** Rounds the daemon logged as failing, and restarts it made: an idle window has none. */
  failures: number;
  /** The daemon's line that its units' changes are followed over the bus, or the warning that they are not. */
  busLine: string;
  /** monit's version when it ran in the window (its samples are the last process's), or why it did not. */
  monit: { version: string; complaints: number } | { reason: string } | null;
}

/** How many of a window's processes are Lifeguard's share: the daemon, PID 1 and the bus (monit, when it runs, comes after). */
const OURS = 3;

/** Each scenario in a sandbox of its own: its units, the daemon as a unit, sampled with PID 1 and dbus-daemon. */
export async function benchSystemdIdle(options: SystemdIdleOptions): Promise<Section> {
  const support = sandboxSupport();
  const reason = !options.sandbox ? "the sandbox was turned off with --no-sandbox" : support.ok ? null : support.reason;
  if (reason !== null) return { title: TITLE, method: [`Not run: it needs a systemd sandbox, and ${reason}.`], tables: [], findings: [] };
  const windows: Window[] = [];
  for (const scenario of options.scenarios) {
    const monit = scenario.monit === true ? await ensureMonit() : null;
    const sandbox = await startSandbox();
    try {
      windows.push(await measure(sandbox, scenario, options, monit));
    } finally {
      await sandbox.stop();
    }
  }
  return describe(windows, options);
}

async function measure(sandbox: Sandbox, scenario: SystemdIdleScenario, options: SystemdIdleOptions, monit: MonitBinary | null): Promise<Window> {
  const dir = join(sandbox.workdir, "systemd-idle");
  mkdirSync(join(dir, "logs"), { recursive: true });
  await startOrThrow(sandbox, "dbus.socket");
  const names = Array.from({ length: scenario.units }, (_, i) => `idle-${String(i + 1).padStart(3, "0")}`);
  const logOf = (name: string): string => join(dir, "logs", `${name}.log`);
  const touch = (): void => names.forEach((name) => appendFileSync(logOf(name), `${new Date().toISOString()} INFO still here\n`));
  touch();
  for (const name of names) await sandbox.writeUnit(`${name}.service`, `[Service]\nExecStart=${[...SLEEPER, join(dir, "logs", `${name}.pid`)].map(quoteArg).join(" ")}\n`);
  const daemonLog = join(dir, "lifeguard.log");
  const config = join(dir, "lifeguard.yaml");
  const services = Object.fromEntries(names.map((name) => [name, {
    systemd: `${name}.service`,
    interval: `${scenario.intervalMs / 1000}s`,
    checks: ["running", { "log-fresh": { path: logOf(name), "max-age": "1h" } }],
  }]));
  writeFileSync(config, stringify({ state: join(dir, "state"), log: { file: daemonLog, format: "json" }, services }));
  await sandbox.writeUnit("lifeguard-daemon.service", `[Service]\nExecStart=${process.execPath} ${BIN} run -c ${config}\nWorkingDirectory=${REPO}\n`);
  await sandbox.daemonReload();
  // One start job for them all: systemctl takes a list.
  await startOrThrow(sandbox, ...names.map((name) => `${name}.service`));
  const writer = setInterval(touch, WRITER_EVERY_MS);
  try {
    const spawnedAt = Date.now();
    await startOrThrow(sandbox, "lifeguard-daemon.service");
    const ready = await waitFor(() => readEntries(daemonLog).some((entry) => entry.message.startsWith("Lifeguard started")), { timeoutMs: DAEMON_READY_MS, intervalMs: 50 });
    if (!ready) throw new Error(`The daemon did not start within ${DAEMON_READY_MS} ms`);
    const startupMs = Date.now() - spawnedAt;
    const monitPid = monit?.ok === true ? await startMonitUnit(sandbox, monit.path, dir, names.map((name) => ({ name, pidFile: join(dir, "logs", `${name}.pid`), log: logOf(name) }))) : null;
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const daemonPid = hostPidOf(sandbox, await mainPid(sandbox, "lifeguard-daemon.service"));
    const busPid = hostPidOf(sandbox, await mainPid(sandbox, "dbus.service"));
    const watched = [
      { name: "Lifeguard's daemon", pid: daemonPid },
      { name: "systemd (PID 1 of the sandbox)", pid: sandbox.pid },
      { name: "dbus-daemon (the system bus)", pid: busPid },
      ...(monitPid === null ? [] : [{ name: "monit", pid: monitPid }]),
    ];
    const samples = await sampleTogether(watched, options);
    const entries = readEntries(daemonLog);
    const failures = entries.filter((entry) => entry.tag === "FAIL" || entry.data.event === "restart").length;
    const busLine = entries.find((entry) => /system bus|Cannot follow/.test(entry.message))?.message ?? "the daemon said nothing of the bus: it followed every unit";
    const monitRun = monit === null ? null : monit.ok ? { version: monit.version, complaints: monitComplaints(dir) } : { reason: monit.reason };
    return { scenario, processes: watched.map((w, i) => ({ name: w.name, samples: samples[i] ?? [] })), startupMs, failures, busLine, monit: monitRun };
  } finally {
    clearInterval(writer);
  }
}

/**
 * monit as a unit of the sandbox (`monit -c FILE -I`, in the foreground), so that it reads the pid
 * files' pids in the sandbox's PID namespace: the same control file as the supervisor-mode idle
 * bench's, a 1 s cycle and the log's 1 h limit. Its host pid, once it says it started; the sandbox's
 * end stops it.
 */
async function startMonitUnit(sandbox: Sandbox, binary: string, dir: string, targets: Array<{ name: string; pidFile: string; log: string }>): Promise<number> {
  const home = join(dir, "monit");
  mkdirSync(home, { recursive: true });
  const control = join(home, "monitrc");
  // monit refuses a control file others can read.
  writeFileSync(control, monitControlFile(home, targets, 60), { mode: 0o600 });
  await sandbox.writeUnit("bench-monit.service", `[Service]\nExecStart=${binary} -c ${control} -I\nWorkingDirectory=${home}\n`);
  await sandbox.daemonReload();
  await startOrThrow(sandbox, "bench-monit.service");
  const log = join(home, "monit.log");
  const started = await waitFor(() => existsSync(log) && /Monit \S+ started/.test(readFileSync(log, "utf8")), { timeoutMs: 30_000, intervalMs: 50 });
  if (!started) throw new Error(`monit did not start: ${existsSync(log) ? readFileSync(log, "utf8").slice(-1000) : "no log"}`);
  return hostPidOf(sandbox, await mainPid(sandbox, "bench-monit.service"));
}

/** Lines of monit's log saying a process or file it watches is missing: none when it saw the same bots as Lifeguard. */
function monitComplaints(dir: string): number {
  const log = join(dir, "monit", "monit.log");
  return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((line) => /not running|does not exist|failed/i.test(line)).length : 0;
}

/** A word of an ExecStart= line: quoted when it holds a space or `$` (systemd's own quoting; `$$` is a literal `$`). */
function quoteArg(word: string): string {
  const escaped = word.replaceAll("$", "$$");
  return /[\s"'\\]/.test(escaped) ? `'${escaped.replaceAll("'", "\\'")}'` : escaped;
}

async function mainPid(sandbox: Sandbox, unit: string): Promise<number> {
  const pid = Number((await sandbox.exec(["systemctl", "show", "--property=MainPID", "--value", unit])).stdout.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error(`${unit} has no main process`);
  return pid;
}

async function startOrThrow(sandbox: Sandbox, ...units: string[]): Promise<void> {
  const result = await sandbox.exec(["systemctl", "start", ...units], { timeoutMs: 120_000 });
  if (!result.ok) throw new Error(`Cannot start ${units.length === 1 ? units[0] : `${units.length} units`}: ${result.stderr.trim() || result.summary}`);
}

const label = (scenario: SystemdIdleScenario): string => `${scenario.units} units at ${scenario.intervalMs / 1000} s`;

function describe(windows: Window[], options: SystemdIdleOptions): Section {
  const rows: string[][] = [];
  const findings: string[] = [];
  const beside: string[][] = [];
  for (const window of windows) {
    const cpu = window.processes.map((p) => cpuFigures(p.samples, options.sampleMs).whole);
    const total = cpu.slice(0, OURS).reduce((sum, value) => sum + value, 0);
    window.processes.slice(0, OURS).forEach((p, i) => rows.push([label(window.scenario), p.name, percent(cpu[i] ?? Number.NaN), cpuSecondsPerMinute(cpu[i] ?? Number.NaN), "", ""]));
    const goal = window.scenario.cpuGoal;
    rows.push([label(window.scenario), "**together**", `**${percent(total)}**`, `**${cpuSecondsPerMinute(total)}**`, goal === null ? "–" : `< ${goal} %`, goal === null ? "" : verdict(total < goal)]);
    const monitCpu = cpu[OURS];
    if (window.monit !== null && "version" in window.monit && monitCpu !== undefined) {
      rows.push([label(window.scenario), `monit ${window.monit.version}: ${window.scenario.units} process checks (by pid file) + ${window.scenario.units} file timestamp checks, \`set daemon 1\`, in the same window`, percent(monitCpu), cpuSecondsPerMinute(monitCpu), "", ""]);
      beside.push([label(window.scenario), cpuSecondsPerMinute(total), cpuSecondsPerMinute(monitCpu), monitCpu === 0 ? "–" : `${(total / monitCpu).toFixed(2)}×`, "≤ monit", verdict(total <= monitCpu)]);
      findings.push(`${verdict(total <= monitCpu)} Goal "CPU a minute at most monit's, PID 1's share counted" (issue 14), ${label(window.scenario)} in systemd mode: Lifeguard, PID 1 and the bus together ${cpuSecondsPerMinute(total)}, monit ${window.monit.version} ${cpuSecondsPerMinute(monitCpu)} in the same window (÷ ${monitCpu === 0 ? "–" : (total / monitCpu).toFixed(2)}); monit's log ${window.monit.complaints === 0 ? "says no process or file missing: it watched the same running bots" : `has ${window.monit.complaints} lines of a process or file missing`}.`);
    } else if (window.monit !== null && "reason" in window.monit) {
      findings.push(`❌ ${label(window.scenario)}: monit was not measured, so the goal (at most monit's CPU) cannot be judged: ${window.monit.reason}.`);
    }
    findings.push(`${goal === null ? "" : `${verdict(total < goal)} `}${label(window.scenario)}: Lifeguard ${percent(cpu[0] ?? Number.NaN)}, PID 1 ${percent(cpu[1] ?? Number.NaN)}, the bus ${percent(cpu[2] ?? Number.NaN)} of one core: ${percent(total)} together${goal === null ? "" : ` (goal under ${goal} %)`}; "Lifeguard started" ${formatSeconds(window.startupMs)} after its unit was started; ${window.failures} failed rounds or restarts in the window; bus: ${window.busLine}.`);
  }
  const table: Table = {
    caption: `CPU of each process (all its threads, not its children) over ${formatSeconds(options.windowMs)}, % of one core and CPU seconds per minute`,
    columns: ["daemon", "process", "% of one core", "CPU s / min", "goal", ""],
    rows,
  };
  return {
    title: TITLE,
    method: [
      "Per scenario, a systemd sandbox of its own (systemd as PID 1 of its namespaces, Debian's dbus-daemon as its system bus, `src/testing/systemd-sandbox.ts`) runs N units of a sleeping bot (`/bin/sh -c 'echo $$ > PIDFILE; exec /bin/sleep 100000'`), each with a log of its own to which the bench appends a line every 10 s, and Lifeguard as a unit too: `node bin/lifeguard.js run -c CFG` (the built CLI), each unit a `systemd:` service with the checks `running` and `log-fresh` (`max-age: 1h`) at the scenario's interval.",
      `The daemon reads its units over the bus and follows their changes there: a round with no change reported since the last read sends nothing to systemd (a real read at least every 5 min; systemd's state is read with \`ListUnitsByNames\` and two \`Get\`s). After "Lifeguard started" and ${formatSeconds(options.settleMs)} to settle, the bench reads \`/proc/PID/stat\` (utime + stime, ${CLOCK_TICKS} Hz ticks) of the daemon, the sandbox's PID 1 and its dbus-daemon (their host pids) every ${options.sampleMs / 1000} s for ${formatSeconds(options.windowMs)}: what watching costs Lifeguard and what it costs systemd and the bus, together.`,
      "In the window of 50 units, monit (Debian's package) runs too, as a unit of the same sandbox (`monit -c FILE -I`, so that it reads the pid files' pids in the sandbox's PID namespace), with the control file of the supervisor-mode idle bench: `set daemon 1`, per unit `check process NAME with pidfile PIDFILE` on the same sleeping bot and `check file NAME-log with path LOG` `if timestamp > 60 minutes then alert`. Its CPU is sampled at the same ticks; PID 1's and the bus's are counted as Lifeguard's (monit asks neither).",
    ],
    tables: beside.length === 0 ? [table] : [table, { caption: "CPU a minute beside monit (same window, the same bots and logs; PID 1's and the bus's CPU counted as Lifeguard's)", columns: ["daemon", "Lifeguard + PID 1 + bus: CPU s / min", "monit: CPU s / min", "÷ monit", "goal", ""], rows: beside }],
    findings,
  };
}

function cpuSecondsPerMinute(percentOfCore: number): string {
  return `${((percentOfCore / 100) * 60).toFixed(2)} s`;
}
