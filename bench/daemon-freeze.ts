import { statSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { readProcStat } from "../src/process/proc-stat.js";
import { waitFor } from "../src/testing/wait-for.js";
import { withDaemonLab, type DaemonEntry, type HistoryEntry, type Shutdown } from "./daemon-lab.js";
import { cleanupFinding, formatSeconds, phaseTable, summaryCells, type Phase } from "./daemon-report.js";
import { entryBetween, randomBetween, restartBetween, waitForRestarted } from "./restart-trials.js";
import { formatMs, verdict, type Section, type Table } from "./report.js";
import { summarise, type Summary } from "./stats.js";
import { followBotLog, tickBotService, type BotLog } from "./tick-bot.js";

const MAX_AGE_MS = 5000;
const GOAL_AFTER_MAX_AGE_MS = 300;
const BOT_EVERY_MS = 100;
/** The competitors' medians (issue 3): monit 5.33 with a 1 s cycle and a 5 s limit, the seed's script run every second. */
const MONIT_TOTAL_MS = 5750;
const SEED_TOTAL_MS = 7450;

export interface FreezeBenchOptions {
  /** One daemon per entry, with the service's check interval; `trials` freezes each. */
  runs: Array<{ intervalMs: number; trials: number }>;
}

interface FreezeTrial {
  /** The log's mtime once the bot was stopped: its last write. */
  lastWrite: number;
  /** The wall time the last line carries (the bot's own clock reading before the write). */
  lastLineAt: number;
  /** The wall time of the new process's first line. */
  firstLineAt: number;
}

interface FreezeRun {
  intervalMs: number;
  trials: FreezeTrial[];
  entries: DaemonEntry[];
  history: HistoryEntry[];
  shutdown: Shutdown;
}

/** Freeze-to-recovery in daemon mode: SIGSTOP the supervised bot, time until a new one writes its first line. */
export async function benchFreeze(options: FreezeBenchOptions): Promise<Section> {
  const runs: FreezeRun[] = [];
  for (const run of options.runs) runs.push(await freezeRun(run.intervalMs, run.trials));
  return describe(runs);
}

async function freezeRun(intervalMs: number, trials: number): Promise<FreezeRun> {
  return withDaemonLab("freeze", async (lab) => {
    const { service, log } = tickBotService(lab.dir, { everyMs: BOT_EVERY_MS, intervalMs, maxAge: `${MAX_AGE_MS / 1000}s` });
    const daemon = await lab.startDaemon({ services: { bot: service } });
    const bot = followBotLog(log);
    let current = await bot.waitForStart(null, 10_000);
    lab.remember(current.pid);
    const results: FreezeTrial[] = [];
    for (let trial = 0; trial < trials; trial += 1) {
      await delay(randomBetween(500, 1500));
      const frozen = await freeze(current.pid, log, bot);
      const next = await bot.waitForStart(current.pid, MAX_AGE_MS + 20_000);
      lab.remember(next.pid);
      await waitForRestarted(daemon, frozen.lastWrite);
      results.push({ ...frozen, firstLineAt: next.t });
      current = next;
    }
    const history = await daemon.history();
    const entries = daemon.entries();
    return { intervalMs, trials: results, entries, history, shutdown: await lab.stopDaemon() };
  });
}

/** SIGSTOP by PID; once the kernel shows the process stopped, its log's mtime is its last write. */
async function freeze(pid: number, log: string, bot: BotLog): Promise<Omit<FreezeTrial, "firstLineAt">> {
  const before = readProcStat(pid);
  if (before === null || before.state === "T" || before.state === "Z") throw new Error(`The bot (pid ${pid}) is not running: ${before?.state ?? "gone"}`);
  process.kill(pid, "SIGSTOP");
  if (!(await waitFor(() => readProcStat(pid)?.state === "T", { timeoutMs: 2000, intervalMs: 1 }))) throw new Error(`The bot (pid ${pid}) did not stop on SIGSTOP`);
  const lastWrite = statSync(log).mtimeMs;
  bot.read();
  const last = bot.lines.findLast((line) => line.pid === pid);
  return { lastWrite, lastLineAt: last?.t ?? Number.NaN };
}

function describe(runs: FreezeRun[]): Section {
  const all = runs.flatMap((run) => run.trials.map((trial) => ({ run, trial })));
  const figures: Table = {
    caption: "Freeze to recovery: from the bot's last log write to the new process's first line",
    columns: ["check interval", "after max-age: median", "p95", "min – max", "n", "total: median", "goal (after max-age)", "", "monit 5.33 (1 s cycle, 5 s limit)", "seed's script (every 1 s)"],
    rows: runs.map((run) => {
      const after = afterMaxAge(run);
      const total = summarise(run.trials.map(totalOf));
      return [`${run.intervalMs / 1000} s`, ...summaryCells(after), formatSeconds(total.median), `< ${GOAL_AFTER_MAX_AGE_MS} ms`, verdict(after.p95 < GOAL_AFTER_MAX_AGE_MS), `${formatSeconds(MONIT_TOTAL_MS)} total (${formatMs(MONIT_TOTAL_MS - MAX_AGE_MS, 0)} after the limit)`, `${formatSeconds(SEED_TOTAL_MS)} total`];
    }),
  };
  const phases = phaseTable("Where the time after max-age goes (every trial of every interval)", freezePhases(all));
  return {
    title: "Daemon: freeze to recovery (supervisor mode)",
    method: [
      "The built CLI, `node bin/lifeguard.js run -c CFG`, supervising the tick bot (`/usr/bin/python3 bench/bots/tick-bot.py`, a `command:` service): it writes a line every 100 ms carrying its pid and wall time, the first one `started pid=…` as soon as the script runs; on SIGTERM it writes a last line and exits 0.",
      `Config: \`log-fresh\` with \`max-age: 5s\` (monit's 5 s limit), \`failure-threshold: 1\` (monit also acts on the first failed cycle), \`startup-grace: 1s\`, \`restart: { stop-timeout: 2s, backoff: { initial: 0s, max: 0s }, limit: { max: 1000, per: 1h } }\` so that trial after trial is restarted at once; one daemon per check interval (${runs.map((run) => `${run.intervalMs / 1000} s`).join(" and ")}), to show the interval does not matter. HTTP on \`127.0.0.1:0\`.`,
      "Per trial, after a random 0.5–1.5 s: SIGSTOP to the bot's pid (from its log), then, once `/proc/PID/stat` shows it stopped (`T`), the log's mtime is its last write; the bench waits for a `started` line of a new pid. Latency = that line's wall time − the last write; \"after max-age\" takes the 5 s off. All times are wall clock (CLOCK_REALTIME): the bot's `time.time()`, the bench's `Date.now()`, the file's mtime (which the kernel takes from a coarse clock, up to a tick early, so the figures err long).",
      "Phases come from the daemon's JSON log (ms resolution: the round that saw the log stale) and its restart history (`lifeguard history --json`: when the restart was decided, how long each step took). p95 is nearest-rank: with 10 trials or fewer it is the slowest one.",
    ],
    tables: [figures, phases],
    findings: findings(runs),
  };
}

const totalOf = (trial: FreezeTrial): number => trial.firstLineAt - trial.lastWrite;
const afterMaxAge = (run: FreezeRun): Summary => summarise(run.trials.map((trial) => totalOf(trial) - MAX_AGE_MS));

function freezePhases(all: Array<{ run: FreezeRun; trial: FreezeTrial }>): Phase[] {
  const timings = all.map(({ run, trial }) => {
    const deadline = trial.lastWrite + MAX_AGE_MS;
    const stale = entryBetween(run.entries, trial.lastWrite, trial.firstLineAt, (entry) => entry.tag === "FAIL" && /stale/.test(entry.message));
    const restart = restartBetween(run.history, trial.lastWrite, trial.firstLineAt);
    const staleAt = stale?.at ?? Number.NaN;
    const restartAt = restart?.startedAt ?? Number.NaN;
    return {
      detect: staleAt - deadline,
      decide: restartAt - staleAt,
      stop: restart?.stopMs ?? Number.NaN,
      kill: restart?.killMs ?? Number.NaN,
      spawn: restart === null ? Number.NaN : trial.firstLineAt - (restart.startedAt + restart.stopMs + restart.killMs),
      skew: trial.lastLineAt - trial.lastWrite,
    };
  });
  const values = (key: keyof (typeof timings)[number]): number[] => timings.map((t) => t[key]);
  return [
    { label: "deadline → stale seen", how: "the round's FAIL line − (last write + max-age)", values: values("detect") },
    { label: "stale seen → restart decided", how: "the restart record's start − the FAIL line", values: values("decide") },
    { label: "stop", how: "SIGTERM + SIGCONT to the stopped bot's group until it is gone (history step)", values: values("stop") },
    { label: "kill", how: "SIGKILL to what is left of the group (history step)", values: values("kill") },
    { label: "spawn → new bot's first line", how: "first line − (restart start + stop + kill): spawn and Python's start-up", values: values("spawn") },
    { label: "(check) last line's own time − mtime", how: "how far the bot's clock reading before the write is from the file's mtime", values: values("skew") },
  ];
}

function findings(runs: FreezeRun[]): string[] {
  const out: string[] = [];
  const slowest = Math.max(...runs.map((run) => afterMaxAge(run).p95));
  out.push(`${verdict(slowest < GOAL_AFTER_MAX_AGE_MS)} Goal "within ${GOAL_AFTER_MAX_AGE_MS} ms after max-age, whatever the check interval": ${runs.map((run) => `p95 ${formatMs(afterMaxAge(run).p95, 0)} (median ${formatMs(afterMaxAge(run).median, 0)}) at a ${run.intervalMs / 1000} s interval`).join("; ")}.`);
  const medians = runs.map((run) => summarise(run.trials.map(totalOf)).median);
  out.push(`Freeze to recovery in total: median ${medians.map((m, i) => `${formatSeconds(m)} at ${(runs[i] as FreezeRun).intervalMs / 1000} s`).join(", ")}, against monit's ${formatSeconds(MONIT_TOTAL_MS)} and the seed script's ${formatSeconds(SEED_TOTAL_MS)}. The daemon does not poll: a passing \`log-fresh\` check tells when its verdict runs out (mtime + max-age + 1 ms) and the service's loop runs its next round then, so the interval does not enter the latency.`);
  out.push("Both sides act on the first failed look (`failure-threshold: 1` here, one cycle in monit); with the default threshold of 2 Lifeguard would wait one more round.");
  out.push(cleanupFinding(runs.map((run) => run.shutdown)));
  return out;
}
