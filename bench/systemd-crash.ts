import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { readProcStat } from "../src/process/proc-stat.js";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { readHistory, type HistoryEntry } from "./daemon-lab.js";
import { phaseTable, summaryCells, type Phase } from "./daemon-report.js";
import { randomBetween, restartBetween, shuffled } from "./restart-trials.js";
import { formatMs, verdict, type Section } from "./report.js";
import { median, summarise, type Summary } from "./stats.js";
import { FREEZE_MAX_AGE_MS, hostPidOf, startCrashUnits, waitForDaemonRestart, type CrashUnit, type CrashUnits } from "./systemd-crash-lab.js";
import { measureBotStartup } from "./tick-bot.js";

/** Issue 14's goal, and the figure it quotes for systemd's own `Restart=`. */
const GOAL_MS = 100;
const ISSUE_SYSTEMD_MS = 310;
const NEW_PROCESS_TIMEOUT_MS = 20_000;
const TITLE = "Daemon: crash and freeze to new process (systemd mode)";

export interface SystemdCrashBenchOptions {
  /** Kills of each unit; the units take turns in a random order each round. */
  trials: number;
  /** SIGSTOPs of the frozen unit's bot, after the kills. */
  freezeTrials: number;
  /** false: do not start the sandbox (the section then says it was not run). */
  sandbox: boolean;
}

interface Trial {
  killAt: number;
  firstLineAt: number;
}

/** A freeze: the log's last write (its mtime once the bot was seen stopped) and the new bot's first line. */
interface FreezeTrial {
  lastWrite: number;
  firstLineAt: number;
}

interface Run {
  units: CrashUnits;
  trials: Map<CrashUnit, Trial[]>;
  freezes: FreezeTrial[];
  history: HistoryEntry[];
  startup: number[];
  /** `systemctl --version`'s first line, in the sandbox. */
  systemd: string;
}

/** SIGKILL a systemd unit's main process; time until a new one writes its first line: Lifeguard over the bus vs systemd's own Restart=, in one window. */
export async function benchSystemdCrash(options: SystemdCrashBenchOptions): Promise<Section> {
  const support = sandboxSupport();
  const reason = !options.sandbox ? "the sandbox was turned off with --no-sandbox" : support.ok ? null : support.reason;
  if (reason !== null) return { title: TITLE, method: [`Not run: it needs a systemd sandbox, and ${reason}.`], tables: [], findings: [] };
  const sandbox = await startSandbox();
  const scratch = mkdtempSync(join(tmpdir(), "lifeguard-bench-systemd-crash-"));
  try {
    return describe(await crashRun(sandbox, scratch, options));
  } finally {
    await sandbox.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function crashRun(sandbox: Sandbox, scratch: string, options: SystemdCrashBenchOptions): Promise<Run> {
  const systemd = (await sandbox.exec(["systemctl", "--version"])).stdout.split("\n")[0]?.trim() ?? "systemd";
  const units = await startCrashUnits(sandbox);
  const all = [units.watched, ...units.peers];
  const trials = new Map(all.map((unit) => [unit, [] as Trial[]]));
  const current = new Map(all.map((unit) => [unit, unit.bot.lines.findLast((line) => line.kind === "started")?.pid ?? 0]));
  for (let round = 0; round < options.trials; round += 1) {
    for (const unit of shuffled(all)) {
      await delay(randomBetween(300, 800));
      const pid = current.get(unit) ?? 0;
      const hostPid = hostPidOf(sandbox, pid);
      const killAt = Date.now();
      process.kill(hostPid, "SIGKILL");
      const next = await unit.bot.waitForStart(pid, NEW_PROCESS_TIMEOUT_MS);
      // The daemon's restart ends with its verification: the next kill must not fall inside it.
      if (unit === units.watched) await waitForDaemonRestart(units.daemonLog, "bot", killAt, NEW_PROCESS_TIMEOUT_MS);
      trials.get(unit)?.push({ killAt, firstLineAt: next.t });
      current.set(unit, next.pid);
    }
  }
  const freezes = await freezeTrials(sandbox, units, options.freezeTrials);
  const history = await readHistory(units.config);
  const startup = await measureBotStartup(scratch, options.trials);
  return { units, trials, freezes, history, startup, systemd };
}

/** SIGSTOP the frozen unit's bot (by its host pid); once stopped, its log's mtime is its last write; time until a new bot's first line. */
async function freezeTrials(sandbox: Sandbox, units: CrashUnits, count: number): Promise<FreezeTrial[]> {
  const { bot, log } = units.frozen;
  let pid = bot.lines.findLast((line) => line.kind === "started")?.pid ?? 0;
  const freezes: FreezeTrial[] = [];
  for (let trial = 0; trial < count; trial += 1) {
    await delay(randomBetween(500, 1500));
    const hostPid = hostPidOf(sandbox, pid);
    process.kill(hostPid, "SIGSTOP");
    if (!(await waitFor(() => readProcStat(hostPid)?.state === "T", { timeoutMs: 2000, intervalMs: 1 }))) throw new Error(`The frozen bot (pid ${hostPid}) did not stop on SIGSTOP`);
    const lastWrite = statSync(log).mtimeMs;
    const next = await bot.waitForStart(pid, FREEZE_MAX_AGE_MS + NEW_PROCESS_TIMEOUT_MS);
    await waitForDaemonRestart(units.daemonLog, "frozen", lastWrite, NEW_PROCESS_TIMEOUT_MS);
    freezes.push({ lastWrite, firstLineAt: next.t });
    pid = next.pid;
  }
  return freezes;
}

function latencies(run: Run, unit: CrashUnit): Summary {
  return summarise((run.trials.get(unit) ?? []).map((trial) => trial.firstLineAt - trial.killAt));
}

function describe(run: Run): Section {
  const { watched, peers } = run.units;
  const lifeguard = latencies(run, watched);
  const [systemd, systemdZero] = peers.map((peer) => latencies(run, peer)) as [Summary, Summary];
  const startup = summarise(run.startup);
  const phases = lifeguardPhases(run);
  const freeze = summarise(run.freezes.map((trial) => trial.firstLineAt - trial.lastWrite - FREEZE_MAX_AGE_MS));
  const ratio = (peer: Summary): string => `${(lifeguard.median / peer.median).toFixed(2)}×`;
  return {
    title: TITLE,
    method: [
      `A systemd sandbox (its own ${run.systemd} as PID 1 and its own system bus, Debian's dbus-daemon, \`src/testing/systemd-sandbox.ts\`) runs four units of the tick bot (\`/usr/bin/python3 bench/bots/tick-bot.py\`, a line every 100 ms, the first one \`started pid=…\` as soon as the script runs), each with \`StartLimitIntervalSec=0\` so trial after trial may restart it: \`${watched.unit}\` and \`${run.units.frozen.unit}\` with \`Restart=no\`, watched by Lifeguard; \`${peers[0]?.unit}\` with \`Restart=always\` (systemd's default \`RestartSec=100ms\`) and \`${peers[1]?.unit}\` with \`Restart=always\`, \`RestartSec=0\`, restarted by systemd alone.`,
      "Lifeguard runs as a unit in the sandbox too: `node bin/lifeguard.js run -c CFG` (the built CLI), the bot as a `systemd:` service with its default `running` check, interval 1 h (so only systemd's report over the bus can start a round), `failure-threshold: 1`, `startup-grace: 200ms`, no backoff, a restart limit never reached.",
      `Per trial, round after round, the three units in a random order, each after a random 0.3–0.8 s: the bench reads the wall time (\`Date.now()\`) and sends SIGKILL to the unit's main process, by pid (the bot's log names its pid in the sandbox; the bench signals the same process, checked by start time, by its host pid, so the kill is not delayed by an \`nsenter\`); latency = the wall time in the new process's first line − that time. The bench follows each bot's log every 2 ms. A new process is timed by its first line rather than a new \`MainPID\`: that is when the bot runs again, whoever started it, and it needs no \`systemctl\` poll; it includes Python's start-up (timed apart below) for every peer alike. After a Lifeguard trial the bench waits for the daemon's restart to end (its log's \`restarted\`) before the next kill.`,
      `Freezes, after the kills: \`${run.units.frozen.unit}\` is a second service of the same daemon, \`log-fresh\` with \`max-age: ${FREEZE_MAX_AGE_MS / 1000}s\`, interval 1 s, \`failure-threshold: 1\`. Per trial, after a random 0.5–1.5 s, SIGSTOP to its bot (by host pid); once \`/proc/PID/stat\` shows it stopped, the log's mtime is its last write; latency after max-age = the new bot's first line − (last write + ${FREEZE_MAX_AGE_MS / 1000} s).`,
      `Phases come from the daemon's restart history (\`lifeguard history --json\`). The bot's own start-up is timed apart: ${startup.n} runs of the bot spawned by the bench on the host, from just before \`spawn()\` to the wall time of its first line.`,
    ],
    tables: [
      {
        caption: "Crash to new process in systemd mode: from SIGKILL of the unit's main process to the new process's first log line",
        columns: ["restarted by", "median", "p95", "min – max", "n", "goal", "", "Lifeguard ÷ this (medians)"],
        rows: [
          [watched.restartedBy, ...summaryCells(lifeguard, 1), `≤ ${GOAL_MS} ms (median)`, verdict(lifeguard.median <= GOAL_MS), ""],
          [peers[0]?.restartedBy ?? "", ...summaryCells(systemd, 1), "peer", "", ratio(systemd)],
          [peers[1]?.restartedBy ?? "", ...summaryCells(systemdZero, 1), "peer", "", ratio(systemdZero)],
          ["the bot's own start-up (spawned by the bench on the host)", ...summaryCells(startup, 1), "baseline", "", ""],
        ],
      },
      phaseTable("Where Lifeguard's time goes (each trial)", phases),
      {
        caption: `Freeze to new process in systemd mode: from the log's last write + max-age (${FREEZE_MAX_AGE_MS / 1000} s) to the new process's first line`,
        columns: ["unit", "after max-age: median", "p95", "min – max", "n", "goal (median)", ""],
        rows: [[run.units.frozen.restartedBy, ...summaryCells(freeze, 1), `≤ ${GOAL_MS} ms`, verdict(freeze.median <= GOAL_MS)]],
      },
      phaseTable("Where the time after max-age goes (each freeze)", freezePhases(run)),
    ],
    findings: [
      `${verdict(lifeguard.median <= GOAL_MS)} Goal "≤ ${GOAL_MS} ms median" (issue 14): Lifeguard's median ${formatMs(lifeguard.median, 1)}, p95 ${formatMs(lifeguard.p95, 1)}; systemd's own \`Restart=always\` in the same window ${formatMs(systemd.median, 1)} (the issue quotes ${ISSUE_SYSTEMD_MS} ms), so Lifeguard ÷ systemd = ${ratio(systemd)}; with \`RestartSec=0\` systemd takes ${formatMs(systemdZero.median, 1)} (${ratio(systemdZero)}).`,
      `Of each, the bot's own start-up is about ${formatMs(startup.median, 1)} (median, spawned on the host); systemd's default ${formatMs(100, 0)} \`RestartSec=\` is a wait it adds on purpose, so \`RestartSec=0\` is the floor any restarter can reach from systemd's side.`,
      ...phaseFindings(phases),
      `${verdict(freeze.median <= GOAL_MS)} Goal "freeze → new process ≤ ${GOAL_MS} ms after max-age" (issue 14): median ${formatMs(freeze.median, 1)}, p95 ${formatMs(freeze.p95, 1)} over ${freeze.n} freezes. A passing \`log-fresh\` tells when its verdict runs out (mtime + max-age), and the loop looks then; the stop is systemd's (SIGTERM then SIGCONT to the stopped bot, StopUnit's job awaited).`,
      "Cleanup: every process ran in the sandbox (the bots, the daemon, its dbus-daemon); the sandbox's stop() ends them all with its systemd and removes its cgroups and directory, whatever happened.",
    ],
  };
}

function phaseFindings(phases: Phase[]): string[] {
  const at = (label: string): number => {
    const known = phases.find((phase) => phase.label === label)?.values.filter(Number.isFinite) ?? [];
    return known.length === 0 ? Number.NaN : median(known);
  };
  const steps = at("stop") + at("kill") + at("start");
  return [
    `The daemon hears the crash and decides in ${formatMs(at("SIGKILL → restart decided"), 1)} (median); the restart's stop, kill and start steps then take ${formatMs(steps, 1)} of medians. Each step talks to systemd's manager over the bus, no process spawned (\`src/runners/systemd.ts\`): the stop sees the unit dead and sends nothing, the kill sends KillUnit (nothing left in the cgroup), the start ResetFailedUnit and StartUnit, whose job systemd ends once it has forked the bot (JobRemoved). What is left is systemd's own work and the bus's round trips.`,
  ];
}

/** The steps of the restart that answered each trial, measured from `origin` (the kill, or the freeze's deadline). */
function stepTimings(run: Run, trials: Array<{ origin: number; lookFrom: number; firstLineAt: number }>) {
  const timings = trials.map((trial) => {
    const restart = restartBetween(run.history, trial.lookFrom, trial.firstLineAt);
    const decidedAt = restart?.startedAt ?? Number.NaN;
    const steps = restart === null ? Number.NaN : restart.stopMs + restart.killMs + restart.startMs;
    return { decide: decidedAt - trial.origin, stop: restart?.stopMs ?? Number.NaN, kill: restart?.killMs ?? Number.NaN, start: restart?.startMs ?? Number.NaN, firstLine: trial.firstLineAt - (decidedAt + steps) };
  });
  return (key: keyof (typeof timings)[number]): number[] => timings.map((t) => t[key]);
}

function freezePhases(run: Run): Phase[] {
  const values = stepTimings(run, run.freezes.map((trial) => {
    const deadline = trial.lastWrite + FREEZE_MAX_AGE_MS;
    return { origin: deadline, lookFrom: deadline - 1000, firstLineAt: trial.firstLineAt };
  }));
  return [
    { label: "deadline → restart decided", how: "the restart record's start − (last write + max-age): the loop wakes at the verdict's end, the round finds the log stale and decides", values: values("decide") },
    { label: "stop", how: "history step: StopUnit over the bus (systemd sends SIGTERM and SIGCONT to the stopped bot) and its job's end", values: values("stop") },
    { label: "kill", how: "history step: KillUnit over the bus (nothing left), a look until it is down", values: values("kill") },
    { label: "start", how: "history step: ResetFailedUnit, StartUnit and its job's end, a look at its state", values: values("start") },
    { label: "start done → new bot's first line", how: "first line − (restart start + steps): the rest of Python's start-up", values: values("firstLine") },
  ];
}

function lifeguardPhases(run: Run): Phase[] {
  const values = stepTimings(run, (run.trials.get(run.units.watched) ?? []).map((trial) => ({ origin: trial.killAt, lookFrom: trial.killAt, firstLineAt: trial.firstLineAt })));
  return [
    { label: "SIGKILL → restart decided", how: "the restart record's start − the kill: systemd reaps the bot and reports it over the bus, the daemon wakes the loop, runs the round (`running` check) and decides", values: values("decide") },
    { label: "stop", how: "history step: a look at the unit over the bus, which finds it dead already: nothing to stop", values: values("stop") },
    { label: "kill", how: "history step: a look, KillUnit over the bus (SIGKILL to the unit's cgroup: nothing left), a look until it is down", values: values("kill") },
    { label: "start", how: "history step: ResetFailedUnit, StartUnit and its job's end (JobRemoved, once systemd has forked the bot) over the bus, and a look at its state", values: values("start") },
    { label: "start done → new bot's first line", how: "first line − (restart start + stop + kill + start): the rest of Python's start-up, as the start step ends after the fork", values: values("firstLine") },
  ];
}
