// Idle CPU in systemd mode: the daemon watching N units in a sandbox, with what it costs systemd
// (PID 1) and the bus (dbus-daemon) counted beside its own, sampled in one window.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
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

const TITLE = "Daemon: idle CPU in systemd mode";
const DAEMON_READY_MS = 300_000;
/** How often the bench appends a line to each unit's log, as the supervisor-mode idle bench does. */
const WRITER_EVERY_MS = 10_000;

/** One daemon watching `units` units, every `intervalMs`; its goal in % of one core (Lifeguard, PID 1 and the bus together), if any. */
export interface SystemdIdleScenario {
  units: number;
  intervalMs: number;
  cpuGoal: number | null;
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
}

/** Each scenario in a sandbox of its own: its units, the daemon as a unit, sampled with PID 1 and dbus-daemon. */
export async function benchSystemdIdle(options: SystemdIdleOptions): Promise<Section> {
  const support = sandboxSupport();
  const reason = !options.sandbox ? "the sandbox was turned off with --no-sandbox" : support.ok ? null : support.reason;
  if (reason !== null) return { title: TITLE, method: [`Not run: it needs a systemd sandbox, and ${reason}.`], tables: [], findings: [] };
  const windows: Window[] = [];
  for (const scenario of options.scenarios) {
    const sandbox = await startSandbox();
    try {
      windows.push(await measure(sandbox, scenario, options));
    } finally {
      await sandbox.stop();
    }
  }
  return describe(windows, options);
}

async function measure(sandbox: Sandbox, scenario: SystemdIdleScenario, options: SystemdIdleOptions): Promise<Window> {
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
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const daemonPid = hostPidOf(sandbox, await mainPid(sandbox, "lifeguard-daemon.service"));
    const busPid = hostPidOf(sandbox, await mainPid(sandbox, "dbus.service"));
    const watched = [
      { name: "Lifeguard's daemon", pid: daemonPid },
      { name: "systemd (PID 1 of the sandbox)", pid: sandbox.pid },
      { name: "dbus-daemon (the system bus)", pid: busPid },
    ];
    const samples = await sampleTogether(watched, options);
    const entries = readEntries(daemonLog);
    const failures = entries.filter((entry) => entry.tag === "FAIL" || entry.data.event === "restart").length;
    const busLine = entries.find((entry) => /system bus|Cannot follow/.test(entry.message))?.message ?? "the daemon said nothing of the bus: it followed every unit";
    return { scenario, processes: watched.map((w, i) => ({ name: w.name, samples: samples[i] ?? [] })), startupMs, failures, busLine };
  } finally {
    clearInterval(writer);
  }
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
  for (const window of windows) {
    const cpu = window.processes.map((p) => cpuFigures(p.samples, options.sampleMs).whole);
    const total = cpu.reduce((sum, value) => sum + value, 0);
    window.processes.forEach((p, i) => rows.push([label(window.scenario), p.name, percent(cpu[i] ?? Number.NaN), cpuSecondsPerMinute(cpu[i] ?? Number.NaN), "", ""]));
    const goal = window.scenario.cpuGoal;
    rows.push([label(window.scenario), "**together**", `**${percent(total)}**`, `**${cpuSecondsPerMinute(total)}**`, goal === null ? "–" : `< ${goal} %`, goal === null ? "" : verdict(total < goal)]);
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
      `The daemon reads its units over the bus and follows their changes there: a round with no change reported since the last read sends nothing to systemd (a real read at least every 30 s). After "Lifeguard started" and ${formatSeconds(options.settleMs)} to settle, the bench reads \`/proc/PID/stat\` (utime + stime, ${CLOCK_TICKS} Hz ticks) of the daemon, the sandbox's PID 1 and its dbus-daemon (their host pids) every ${options.sampleMs / 1000} s for ${formatSeconds(options.windowMs)}: what watching costs Lifeguard and what it costs systemd and the bus, together.`,
    ],
    tables: [table],
    findings,
  };
}

function cpuSecondsPerMinute(percentOfCore: number): string {
  return `${((percentOfCore / 100) * 60).toFixed(2)} s`;
}
