import { setTimeout as delay } from "node:timers/promises";
import { readProcStat } from "../src/process/proc-stat.js";
import { withDaemonLab, type DaemonEntry, type HistoryEntry, type Shutdown } from "./daemon-lab.js";
import { cleanupFinding, phaseTable, summaryCells, type Phase } from "./daemon-report.js";
import { entryBetween, randomBetween, restartBetween, waitForRestarted } from "./restart-trials.js";
import { formatMs, verdict, type Section } from "./report.js";
import { median, summarise } from "./stats.js";
import { followBotLog, measureBotStartup, tickBotService } from "./tick-bot.js";

const GOAL_MS = 90;
/** The competitors' medians (issue 3). */
const PM2_MS = 90;
const SUPERVISORD_MS = 1100;
const INTERVAL_MS = 30_000;
const BOT_EVERY_MS = 100;

export interface CrashBenchOptions {
  trials: number;
  /** Runs of the bot alone (spawned by the bench) to time its own start-up. */
  startupRuns: number;
}

interface CrashTrial {
  /** Wall time just before the bench sent SIGKILL. */
  killAt: number;
  /** Wall time of the new process's first line. */
  firstLineAt: number;
}

interface CrashRun {
  trials: CrashTrial[];
  startup: number[];
  entries: DaemonEntry[];
  history: HistoryEntry[];
  shutdown: Shutdown;
}

/** Crash-to-new-process in supervisor mode: SIGKILL the supervised bot, time until a new one writes its first line. */
export async function benchCrash(options: CrashBenchOptions): Promise<Section> {
  return describe(await crashRun(options));
}

async function crashRun(options: CrashBenchOptions): Promise<CrashRun> {
  return withDaemonLab("crash", async (lab) => {
    const startup = await measureBotStartup(lab.dir, options.startupRuns);
    // A max-age far beyond the trials: only the exit makes the daemon act.
    const { service, log } = tickBotService(lab.dir, { everyMs: BOT_EVERY_MS, intervalMs: INTERVAL_MS, maxAge: "1m" });
    const daemon = await lab.startDaemon({ services: { bot: service } });
    const bot = followBotLog(log);
    let current = await bot.waitForStart(null, 10_000);
    lab.remember(current.pid);
    const trials: CrashTrial[] = [];
    for (let trial = 0; trial < options.trials; trial += 1) {
      await delay(randomBetween(300, 800));
      const state = readProcStat(current.pid)?.state;
      if (state === undefined || state === "Z") throw new Error(`The bot (pid ${current.pid}) is not running`);
      const killAt = Date.now();
      process.kill(current.pid, "SIGKILL");
      const next = await bot.waitForStart(current.pid, 20_000);
      lab.remember(next.pid);
      await waitForRestarted(daemon, killAt);
      trials.push({ killAt, firstLineAt: next.t });
      current = next;
    }
    const history = await daemon.history();
    const entries = daemon.entries();
    return { trials, startup, entries, history, shutdown: await lab.stopDaemon() };
  });
}

function describe(run: CrashRun): Section {
  const latency = summarise(run.trials.map((trial) => trial.firstLineAt - trial.killAt));
  const startup = summarise(run.startup);
  const phases = crashPhases(run);
  return {
    title: "Daemon: crash to new process (supervisor mode)",
    method: [
      `The built CLI, \`node bin/lifeguard.js run -c CFG\`, supervising the tick bot (\`/usr/bin/python3 bench/bots/tick-bot.py\`, a \`command:\` service, a line every ${BOT_EVERY_MS} ms, the first one \`started pid=…\` as soon as the script runs). Config: interval ${INTERVAL_MS / 1000} s, \`log-fresh\` with \`max-age: 1m\` (so only the exit makes the daemon act), \`failure-threshold: 1\`, no backoff, a restart limit never reached. HTTP on \`127.0.0.1:0\`.`,
      "Per trial, after a random 0.3–0.8 s: the bench reads the wall time (`Date.now()`) and sends SIGKILL to the bot's pid (from its log; by pid only); latency = the wall time in the new process's first line − that time. The daemon learns of the exit from Node's `exit` event of its child (no polling) and runs the service's round at once.",
      `Phases come from the daemon's JSON log (ms resolution: the FAIL line saying the bot exited) and its restart history (\`lifeguard history --json\`). The bot's own start-up is timed apart: ${startup.n} runs of the bot spawned by the bench as the daemon spawns it (detached, stdout and stderr piped), from just before \`spawn()\` to the wall time of its first line.`,
    ],
    tables: [
      {
        caption: "Crash to new process: from SIGKILL to the new process's first log line",
        columns: ["what", "median", "p95", "min – max", "n", "goal", "", "PM2 7.0.4 (median)", "supervisord 4.2.5 (median)"],
        rows: [
          ["SIGKILL → new bot's first line", ...summaryCells(latency, 1), `< ${GOAL_MS} ms (median)`, verdict(latency.median < GOAL_MS), formatMs(PM2_MS, 0), formatMs(SUPERVISORD_MS, 0)],
          ["the bot's own start-up (spawned by the bench, no daemon)", ...summaryCells(startup, 1), "baseline", "", "", ""],
          ["the daemon's share (median − the bot's start-up median)", formatMs(latency.median - startup.median, 1), "", "", "", "", "", "", ""],
        ],
      },
      phaseTable("Where the time goes (each trial)", phases),
    ],
    findings: findings(run, latency.median, latency.p95, startup.median, phases),
  };
}

function crashPhases(run: CrashRun): Phase[] {
  const timings = run.trials.map((trial) => {
    const exit = entryBetween(run.entries, trial.killAt, trial.firstLineAt, (entry) => entry.tag === "FAIL" && /exited/.test(entry.message));
    const restart = restartBetween(run.history, trial.killAt, trial.firstLineAt);
    const exitAt = exit?.at ?? Number.NaN;
    return {
      notice: exitAt - trial.killAt,
      decide: (restart?.startedAt ?? Number.NaN) - exitAt,
      stop: restart?.stopMs ?? Number.NaN,
      kill: restart?.killMs ?? Number.NaN,
      spawn: restart === null ? Number.NaN : trial.firstLineAt - (restart.startedAt + restart.stopMs + restart.killMs),
    };
  });
  const values = (key: keyof (typeof timings)[number]): number[] => timings.map((t) => t[key]);
  return [
    { label: "SIGKILL → exit seen", how: "the daemon's FAIL line (\"exited on SIGKILL\") − the kill: Node's exit event, reading the pipes to their end (at most 50 ms)", values: values("notice") },
    { label: "exit seen → restart decided", how: "the restart record's start − the FAIL line: waking the loop, the lock, the checks, the decision, the store", values: values("decide") },
    { label: "stop", how: "history step: the process is gone already (its group looked up in /proc)", values: values("stop") },
    { label: "kill", how: "history step: nothing left to kill (its group looked up in /proc)", values: values("kill") },
    { label: "spawn → new bot's first line", how: "first line − (restart start + stop + kill): spawn and Python's start-up", values: values("spawn") },
  ];
}

function findings(run: CrashRun, latencyMedian: number, latencyP95: number, startupMedian: number, phases: Phase[]): string[] {
  const phaseMedian = (label: string): number => {
    const known = phases.find((phase) => phase.label === label)?.values.filter(Number.isFinite) ?? [];
    return known.length === 0 ? Number.NaN : median(known);
  };
  const daemonSide = ["SIGKILL → exit seen", "exit seen → restart decided", "stop", "kill"].map(phaseMedian).reduce((sum, ms) => sum + ms, 0);
  return [
    `${verdict(latencyMedian < GOAL_MS)} Goal "under ${GOAL_MS} ms, PM2's median": median ${formatMs(latencyMedian, 1)}, p95 ${formatMs(latencyP95, 1)} (supervisord: ${formatMs(SUPERVISORD_MS, 0)}). The verdict compares medians, as the competitors' figures are medians.`,
    `The bot's own start-up (Python 3, spawned by the bench) takes ${formatMs(startupMedian, 1)} of that (median); the daemon's side before the spawn (exit seen, round, decision, stop and kill steps) adds up to ${formatMs(daemonSide, 1)} of medians. A bot that starts slower (a Node one, say) adds its own start-up to the total, whoever supervises it.`,
    cleanupFinding([run.shutdown]),
  ];
}
