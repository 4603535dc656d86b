import { setTimeout as delay } from "node:timers/promises";
import { readProcStat } from "../src/process/proc-stat.js";
import { Cleanups } from "./cleanups.js";
import { startPeers, type CrashPeer, type PeerStart } from "./crash-peers.js";
import { withDaemonLab, type DaemonEntry, type HistoryEntry, type Shutdown } from "./daemon-lab.js";
import { cleanupFinding, phaseTable, summaryCells, type Phase } from "./daemon-report.js";
import { entryBetween, randomBetween, restartBetween, shuffled, waitForRestarted } from "./restart-trials.js";
import { formatMs, verdict, type Section } from "./report.js";
import { median, summarise, type Summary } from "./stats.js";
import { followBotLog, measureBotStartup, tickBotService } from "./tick-bot.js";

const INTERVAL_MS = 30_000;
const BOT_EVERY_MS = 100;
const NEW_PROCESS_TIMEOUT_MS = 20_000;
const LIFEGUARD = "Lifeguard";

export interface CrashBenchOptions {
  /** Kills of each restarter's bot, and start-ups of the bot alone; they take turns in a random order each round. */
  trials: number;
}

interface CrashTrial {
  /** Wall time just before the bench sent SIGKILL. */
  killAt: number;
  /** Wall time of the new process's first line. */
  firstLineAt: number;
}

/** One restarter's trials, or why it did not run. */
type PeerRun = { name: string; setup: string; trials: CrashTrial[] } | { name: string; absent: string };

interface CrashRun {
  /** Lifeguard first, then PM2 and supervisord. */
  peers: PeerRun[];
  startup: number[];
  entries: DaemonEntry[];
  history: HistoryEntry[];
  shutdown: Shutdown;
  /** How each peer was ended. */
  ended: string[];
}

/** Crash-to-new-process in supervisor mode: SIGKILL the supervised bot, time until a new one writes its first line; Lifeguard, PM2 and supervisord in one window. */
export async function benchCrash(options: CrashBenchOptions): Promise<Section> {
  return describe(await crashRun(options));
}

async function crashRun(options: CrashBenchOptions): Promise<CrashRun> {
  return withDaemonLab("crash", async (lab) => {
    const cleanups = new Cleanups();
    const ended: string[] = [];
    try {
      // A max-age far beyond the trials: only the exit makes the daemon act.
      const { service, log } = tickBotService(lab.dir, { everyMs: BOT_EVERY_MS, intervalMs: INTERVAL_MS, maxAge: "1m" });
      const daemon = await lab.startDaemon({ services: { bot: service } });
      const lifeguard: CrashPeer = {
        name: LIFEGUARD,
        setup: "",
        bot: followBotLog(log),
        remember: lab.remember,
        // The daemon's restart ends with its verification: the next kill must not fall inside it.
        afterRestart: async (killAt) => void (await waitForRestarted(daemon, killAt)),
      };
      const others: PeerStart[] = await startPeers(lab.dir, BOT_EVERY_MS, cleanups, ended);
      const running = [lifeguard, ...others.flatMap((start) => ("peer" in start ? [start.peer] : []))];
      const { trials, startup } = await killInTurns(running, options.trials, () => measureBotStartup(lab.dir, 1));
      const history = await daemon.history();
      const entries = daemon.entries();
      await cleanups.run();
      const peers: PeerRun[] = [lifeguard, ...others.map((start) => ("peer" in start ? start.peer : start))].map((peer) =>
        "absent" in peer ? peer : { name: peer.name, setup: peer.setup, trials: trials.get(peer) ?? [] });
      return { peers, startup, entries, history, shutdown: await lab.stopDaemon(), ended };
    } finally {
      await cleanups.run();
    }
  });
}

/**
 * Round after round, each restarter's bot in a random order, after a random 0.3–0.8 s: SIGKILL by
 * pid, then wait for its new first line; in the same order, one start-up of the bot alone (`startOne`).
 */
async function killInTurns(peers: CrashPeer[], rounds: number, startOne: () => Promise<number[]>): Promise<{ trials: Map<CrashPeer, CrashTrial[]>; startup: number[] }> {
  const trials = new Map(peers.map((peer) => [peer, [] as CrashTrial[]]));
  const startup: number[] = [];
  const current = new Map<CrashPeer, number>();
  for (const peer of peers) {
    const first = await peer.bot.waitForStart(null, NEW_PROCESS_TIMEOUT_MS);
    peer.remember(first.pid);
    current.set(peer, first.pid);
  }
  for (let round = 0; round < rounds; round += 1) {
    for (const peer of shuffled([...peers, null])) {
      await delay(randomBetween(300, 800));
      if (peer === null) {
        startup.push(...(await startOne()));
        continue;
      }
      const pid = current.get(peer) as number;
      const state = readProcStat(pid)?.state;
      if (state === undefined || state === "Z") throw new Error(`${peer.name}'s bot (pid ${pid}) is not running`);
      const killAt = Date.now();
      process.kill(pid, "SIGKILL");
      const next = await peer.bot.waitForStart(pid, NEW_PROCESS_TIMEOUT_MS);
      peer.remember(next.pid);
      await peer.afterRestart(killAt);
      trials.get(peer)?.push({ killAt, firstLineAt: next.t });
      current.set(peer, next.pid);
    }
  }
  return { trials, startup };
}

function latencyOf(peer: PeerRun): Summary | null {
  return "absent" in peer || peer.trials.length === 0 ? null : summarise(peer.trials.map((trial) => trial.firstLineAt - trial.killAt));
}

function describe(run: CrashRun): Section {
  const [lifeguardRun, ...peerRuns] = run.peers as [PeerRun, ...PeerRun[]];
  const lifeguard = latencyOf(lifeguardRun) as Summary;
  const pm2Run = peerRuns.find((peer) => peer.name.startsWith("PM2"));
  const pm2 = pm2Run === undefined ? null : latencyOf(pm2Run);
  const startup = summarise(run.startup);
  const phases = crashPhases(run, lifeguardRun);
  const ratio = (peer: Summary | null): string => (peer === null ? "" : `${(lifeguard.median / peer.median).toFixed(2)}×`);
  const peerRow = (peer: PeerRun): string[] => {
    const summary = latencyOf(peer);
    if (summary === null) return [peer.name, "absent" in peer ? `not run: ${peer.absent}` : "no trial", "", "", "", "peer", "", "", ""];
    return [peer.name, ...summaryCells(summary, 1), "peer", "", ratio(summary), share(summary)];
  };
  const share = (restarter: Summary): string => formatMs(restarter.median - startup.median, 1);
  const goal = pm2 === null ? "≤ PM2's median (PM2 absent)" : `≤ ${formatMs(pm2.median, 1)} (PM2's median)`;
  return {
    title: "Daemon: crash to new process (supervisor mode)",
    method: [
      `Three restarters side by side, each supervising a tick bot of its own (\`/usr/bin/python3 bench/bots/tick-bot.py\`, a line every ${BOT_EVERY_MS} ms into its own log, the first one \`started pid=…\` as soon as the script runs; stdout and stderr to a file).`,
      `Lifeguard: the built CLI, \`node bin/lifeguard.js run -c CFG\`, the bot a \`command:\` service; interval ${INTERVAL_MS / 1000} s, \`log-fresh\` with \`max-age: 1m\` (so only the exit makes the daemon act), \`failure-threshold: 1\`, no backoff, a restart limit never reached (1000 per hour). HTTP on \`127.0.0.1:0\`.`,
      ...peerRuns.map((peer) => `${peer.name}: ${"absent" in peer ? `not run, as ${peer.absent}.` : `${peer.setup}.`}`),
      "Per trial, round after round, the restarters' bots in a random order, each after a random 0.3–0.8 s: the bench reads the wall time (`Date.now()`) and sends SIGKILL to the bot's pid (from its log; by pid only); latency = the wall time in the new process's first line − that time. The bench follows each log every 2 ms. After a Lifeguard trial the bench waits for the daemon's restart to end (its log's `restarted`) before the next kill.",
      "The bot's own start-up takes its turn in the same rounds, in the same random order: the bench spawns the bot as the daemon does (detached, stdout and stderr piped) and times from just before `spawn()` to the wall time of its first line, then ends it with SIGTERM by pid. A restarter's share is its median − that median: what it adds to the bot's own start-up.",
      "Lifeguard's phases come from the daemon's JSON log (ms resolution: the FAIL line saying the bot exited) and its restart history (`lifeguard history --json`).",
    ],
    tables: [
      {
        caption: "Crash to new process: from SIGKILL to the new process's first log line, the restarters in one window",
        columns: ["restarted by", "median", "p95", "min – max", "n", "goal", "", "Lifeguard ÷ this (medians)", "share: median − the bot's own start-up"],
        rows: [
          [LIFEGUARD, ...summaryCells(lifeguard, 1), goal, pm2 === null ? "" : verdict(lifeguard.median <= pm2.median), "", share(lifeguard)],
          ...peerRuns.map(peerRow),
          ["the bot's own start-up (spawned by the bench, no restarter)", ...summaryCells(startup, 1), "baseline", "", "", ""],
        ],
      },
      phaseTable("Where Lifeguard's time goes (each trial)", phases),
    ],
    findings: findings(run, lifeguard, pm2, startup.median, phases),
  };
}

function crashPhases(run: CrashRun, lifeguard: PeerRun): Phase[] {
  const timings = ("trials" in lifeguard ? lifeguard.trials : []).map((trial) => {
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
    { label: "SIGKILL → exit seen", how: "the daemon's FAIL line (\"exited on SIGKILL\") − the kill: Node's exit event, the proof that nothing of the run is left (runners/process/process-group.ts isTreeGone), reading the pipes to their end (at most 50 ms)", values: values("notice") },
    { label: "exit seen → restart decided", how: "the restart record's start − the FAIL line: the lock, the running check, the decision and its commit (engine/answer-exit.ts)", values: values("decide") },
    { label: "stop", how: "history step: nothing to stop, the run is known over since its exit", values: values("stop") },
    { label: "kill", how: "history step: nothing left to kill, for the same reason", values: values("kill") },
    { label: "spawn → new bot's first line", how: "first line − (restart start + stop + kill): spawn and Python's start-up", values: values("spawn") },
  ];
}

function findings(run: CrashRun, lifeguard: Summary, pm2: Summary | null, startupMedian: number, phases: Phase[]): string[] {
  const phaseMedian = (label: string): number => {
    const known = phases.find((phase) => phase.label === label)?.values.filter(Number.isFinite) ?? [];
    return known.length === 0 ? Number.NaN : median(known);
  };
  const daemonSide = ["SIGKILL → exit seen", "exit seen → restart decided", "stop", "kill"].map(phaseMedian).reduce((sum, ms) => sum + ms, 0);
  const goal = pm2 === null
    ? `No verdict on the goal "≤ PM2's median in the same run": PM2 did not run. Lifeguard's median ${formatMs(lifeguard.median, 1)}, p95 ${formatMs(lifeguard.p95, 1)}.`
    : `${verdict(lifeguard.median <= pm2.median)} Goal "≤ PM2's median in the same run" (issue 14): Lifeguard's median ${formatMs(lifeguard.median, 1)} (p95 ${formatMs(lifeguard.p95, 1)}), PM2's ${formatMs(pm2.median, 1)} (p95 ${formatMs(pm2.p95, 1)}): Lifeguard ÷ PM2 = ${(lifeguard.median / pm2.median).toFixed(2)}×.`;
  return [
    goal,
    `The bot's own start-up (Python 3, spawned by the bench in the same rounds) takes ${formatMs(startupMedian, 1)} of each (median). Lifeguard's side before the spawn (exit seen, decision, stop and kill steps) adds up to ${formatMs(daemonSide, 1)} of medians (the log's times have ms resolution); from there to the new bot's first line, the spawn and Python's start-up, ${formatMs(phaseMedian("spawn → new bot's first line"), 1)}. A bot that starts slower (a Node one, say) adds its own start-up to the total, whoever supervises it.`,
    cleanupFinding([run.shutdown]),
    ...run.ended,
  ];
}
