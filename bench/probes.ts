// The cost of issue 15's process-level probes: one round of a service's `connection`, `memory` and
// `cpu` checks, for 1 and 200 supervised bots at once, and one pre-kill forensics capture. Real Python bots (each a
// deadlocked pair of threads beside its main thread, holding a connection to a loopback server
// that never reads), real runners, the probes as the daemon builds them.
import { performance } from "node:perf_hooks";
import { createCheck } from "../src/checks/registry.js";
import { startLoopbackServer } from "../src/testing/loopback-server.js";
import type { CheckConfigOf } from "../src/config/types.js";
import { systemClock } from "../src/process/system-clock.js";
import { captureForensics } from "../src/process/forensics.js";
import { recentProcesses } from "../src/process/list-processes.js";
import { ProcessRunner } from "../src/runners/process.js";
import { formatMs, verdict, type Section } from "./report.js";
import { summarise } from "./stats.js";

/** Issue 15's goal for one round of memory + cpu + connection checks, per service. */
const GOAL_MS_PER_SERVICE = 2;

export interface ProbesBenchOptions {
  /** How many bots, per scenario. */
  scenarios: number[];
  rounds: number;
  captures: number;
}

const BOT = `
import socket, sys, threading, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setblocking(False)
for _ in range(16):
    try: s.send(b"x" * 65536)
    except BlockingIOError: break
a, b = threading.Lock(), threading.Lock()
def one():
    with a:
        time.sleep(0.2)
        with b: pass
def two():
    with b:
        time.sleep(0.2)
        with a: pass
for target in (one, two): threading.Thread(target=target, daemon=True).start()
time.sleep(100000)
`;

/** One round of a `memory` and a `cpu` check per bot, as a daemon builds them, timed per service over `rounds` rounds. */
async function timeProcessChecks(runners: readonly ProcessRunner[], rounds: number): Promise<ReturnType<typeof summarise>> {
  const common = { timeoutMs: 5000, alertOnly: false };
  const memory: CheckConfigOf<"memory"> = { kind: "memory", id: "memory", ...common, maxBytes: 1024 * 2 ** 20, measure: "rss", of: "service", restartBeforeOomMs: 600_000, windowMs: 600_000, warmupMs: 0 };
  const cpu: CheckConfigOf<"cpu"> = { kind: "cpu", id: "cpu", ...common, pegged: { abovePercent: 90, forMs: 60_000 }, frozen: null, maxThreads: 1000, maxFds: 1000, stuckInDMs: null, maxZombies: null, threadsGrowingMs: null, fdsGrowingMs: null };
  const heartbeats = { lookUpHeartbeat: (_service: string, now: number) => ({ watchedSince: now, lastPing: null }) };
  const checks = runners.flatMap((runner, i) => [memory, cpu].map((config) => createCheck(config, { clock: systemClock, runner, serviceName: `bot-${i}`, heartbeats })));
  const perService: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    await apart(round);
    const started = performance.now();
    for (const check of checks) await check.run(new AbortController().signal);
    perService.push((performance.now() - started) / runners.length);
  }
  return summarise(perService);
}

/**
 * What the process states add to a `cpu` check: the bench's `cpu` check, and the same with
 * `stuck-in-d`, `max-zombies` and `growing`, over the same bots in the same rounds (which goes
 * first alternates). The process table is read afresh, untimed, before each pass: both share the
 * one look a round that supervised runs pay anyway, and the difference is the states' own reads.
 */
async function timeStates(runners: readonly ProcessRunner[], rounds: number): Promise<{ plain: ReturnType<typeof summarise>; states: ReturnType<typeof summarise> }> {
  const plain: CheckConfigOf<"cpu"> = { kind: "cpu", id: "cpu", timeoutMs: 5000, alertOnly: false, pegged: { abovePercent: 90, forMs: 60_000 }, frozen: null, maxThreads: 1000, maxFds: 1000, stuckInDMs: null, maxZombies: null, threadsGrowingMs: null, fdsGrowingMs: null };
  const states: CheckConfigOf<"cpu"> = { ...plain, id: "cpu#2", stuckInDMs: 120_000, maxZombies: 5, threadsGrowingMs: 1_800_000, fdsGrowingMs: 1_800_000 };
  const heartbeats = { lookUpHeartbeat: (_service: string, now: number) => ({ watchedSince: now, lastPing: null }) };
  const checks = [plain, states].map((config) => runners.map((runner, i) => createCheck(config, { clock: systemClock, runner, serviceName: `bot-${i}`, heartbeats })));
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round += 1) {
    await apart(round);
    for (const which of round % 2 === 0 ? [0, 1] : [1, 0]) {
      recentProcesses(0);
      const started = performance.now();
      for (const check of checks[which] ?? []) await check.run(new AbortController().signal);
      times[which as 0 | 1].push((performance.now() - started) / runners.length);
    }
  }
  return { plain: summarise(times[0]), states: summarise(times[1]) };
}

/**
 * The process table and the socket table are read once a second and shared by every check
 * (list-processes.ts, proc-net-tcp.ts): rounds a little more than a second apart pay a fresh read
 * each, as a daemon's do whose services' rounds come at most once a second.
 */
const apart = (round: number): Promise<void> => (round === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 1100)));

export async function benchProbes(options: ProbesBenchOptions): Promise<Section> {
  // A broker that accepts and never reads: every bot's send queue fills.
  const server = await startLoopbackServer((socket) => socket.pause());
  const { port } = server;
  const rows: string[][] = [];
  const findings: string[] = [];
  let capture: { times: number[]; bytes: number; summary: string } | null = null;
  try {
    for (const count of options.scenarios) {
      const runners = Array.from({ length: count }, (_, i) => new ProcessRunner({ name: `bot-${i}`, command: ["/usr/bin/python3", "-c", BOT, String(port)], output: null }));
      try {
        for (const runner of runners) await runner.start(10_000, new AbortController().signal);
        // Let each bot connect, fill its queue and deadlock.
        await new Promise((resolve) => setTimeout(resolve, 1000 + count * 10));
        const config: CheckConfigOf<"connection"> = { kind: "connection", id: "connection", timeoutMs: 5000, alertOnly: false, to: { host: "127.0.0.1", port }, stuckForMs: 30_000 };
        const checks = runners.map((runner, i) => createCheck(config, { clock: systemClock, runner, serviceName: `bot-${i}`, heartbeats: { lookUpHeartbeat: (_service, now) => ({ watchedSince: now, lastPing: null }) } }));
        const perService: number[] = [];
        // Every bot's send queue is stuck by design: once a connection's samples reach back 30 s, the check fails it, as it must.
        let stuck = 0;
        let failed = 0;
        let firstFailure = "";
        for (let round = 0; round < options.rounds; round += 1) {
          await apart(round);
          const started = performance.now();
          for (const check of checks) {
            const observation = await check.run(new AbortController().signal);
            if (observation.ok) continue;
            if (/ stuck for /.test(observation.summary)) {
              stuck += 1;
              continue;
            }
            failed += 1;
            firstFailure ||= observation.summary;
          }
          perService.push((performance.now() - started) / count);
        }
        const figures = summarise(perService);
        const bots = `${count} ${count === 1 ? "bot" : "bots"}`;
        rows.push([bots, "`connection` (with `stuck-for`)", formatMs(figures.median, 3), formatMs(figures.p95, 3), "–", "", String(figures.n)]);
        const processFigures = await timeProcessChecks(runners, options.rounds);
        const round = { median: figures.median + processFigures.median, p95: figures.p95 + processFigures.p95 };
        rows.push([bots, "`memory` (with `restart-before-oom`) + `cpu` (`pegged`, `frozen`)", formatMs(processFigures.median, 3), formatMs(processFigures.p95, 3), "–", "", String(processFigures.n)]);
        rows.push([bots, "the three: `memory` + `cpu` + `connection` (sums)", formatMs(round.median, 3), formatMs(round.p95, 3), `< ${GOAL_MS_PER_SERVICE} ms`, verdict(round.median < GOAL_MS_PER_SERVICE), "–"]);
        findings.push(`${verdict(round.median < GOAL_MS_PER_SERVICE)} ${bots}: one round of \`memory\` + \`cpu\` + \`connection\` costs ${formatMs(round.median, 3)} per service (the sum of their medians; p95s summed ${formatMs(round.p95, 3)}); \`memory\` + \`cpu\` alone ${formatMs(processFigures.median, 3)}, each listing the run's processes from one look at the process table shared for 1 s by every check and bot (runners/process/run-processes.ts; read anew for each, they cost 20 ms per service at 200 bots, load 12)${count === 1 ? ". With one service, each round pays the two reads alone: the whole process table (supervised runs) and the kernel's socket table, whose dump walks every bucket of its connection hash (262144 on this 24 GiB machine, fewer on a Pi)" : ""}.`);
        const cost = await timeStates(runners, options.rounds);
        rows.push([bots, "`cpu` (`pegged`, `max-threads`, `max-fds`)", formatMs(cost.plain.median, 3), formatMs(cost.plain.p95, 3), "–", "", String(cost.plain.n)]);
        rows.push([bots, "the same `cpu` with `stuck-in-d`, `max-zombies`, `growing` (same rounds)", formatMs(cost.states.median, 3), formatMs(cost.states.p95, 3), "–", "", String(cost.states.n)]);
        findings.push(`${bots}: the process states (\`stuck-in-d\`: each thread's stat; \`max-zombies\`: the shared process table; \`growing\`: the counts already read) make a \`cpu\` check cost ${formatMs(cost.states.median, 3)} per service against ${formatMs(cost.plain.median, 3)} without them, measured in the same rounds, the process table read before each (a supervised run's look; a unit's \`max-zombies\` pays that read too): ${(cost.states.median / cost.plain.median).toFixed(2)} times (${cost.states.median >= cost.plain.median ? "+" : "−"}${formatMs(Math.abs(cost.states.median - cost.plain.median), 3)}).`);
        findings.push(`${bots}: one \`connection\` check costs ${formatMs(figures.median, 3)} per service (median of ${figures.n} rounds over every bot, p95 ${formatMs(figures.p95, 3)}); ${stuck} of ${count * options.rounds} looks found the bot's connection stuck, as each bot's is once 30 s of samples exist (\`stuck-for: 30s\`); ${failed} failed otherwise${failed === 0 ? "" : `; the first said: ${firstFailure}`}.`);
        if (capture === null) {
          const pid = (await runners[0]?.processes(new AbortController().signal))?.main?.pid;
          if (pid !== undefined) {
            const times: number[] = [];
            let last = await captureForensics([pid], null);
            for (let i = 0; i < options.captures; i += 1) {
              const started = performance.now();
              last = await captureForensics([pid], null);
              times.push(performance.now() - started);
            }
            capture = { times, bytes: Buffer.byteLength(JSON.stringify(last)), summary: last.summary };
          }
        }
      } finally {
        await Promise.all(runners.map((runner) => runner.shutdown({ stopTimeoutMs: 2000, killWaitMs: 2000 })));
      }
    }
  } finally {
    await server.close();
  }
  if (capture !== null) {
    const figures = summarise(capture.times);
    rows.push(["1 bot", "a forensics capture (threads, waits, stacks as root, RSS, connections; no helper)", formatMs(figures.median, 2), formatMs(figures.p95, 2), "a few hundred ms", verdict(figures.p95 < 300), String(figures.n)]);
    findings.push(`${verdict(figures.p95 < 300)} One forensics capture of a bot with 3 threads and a stuck connection takes ${formatMs(figures.median, 2)} (p95 ${formatMs(figures.p95, 2)}) and weighs ${capture.bytes} bytes as JSON; it said: "${capture.summary}".`);
  }
  return {
    title: "Process-level probes: connection, memory and cpu checks, and forensics capture",
    method: [
      "Real supervised bots (`/usr/bin/python3`: a deadlocked pair of threads beside the main thread, holding a connection to a loopback server that accepts and never reads, with its send queue full), each started by a ProcessRunner as the daemon starts a `command:` service; the bench process runs the checks as the daemon builds them (`src/checks/registry.ts`), one after another over every bot, round after round, and divides each round's wall time by the number of bots. Rounds are 1.1 s apart, so that each pays a fresh read of the process table and of the kernel's socket table, which checks share for a second: the cost of a daemon whose services come round at most once a second. The goal is judged on the median round.",
      "The process states' cost: the `cpu` check above without `frozen`, and the same with `stuck-in-d`, `max-zombies` and `growing`, each over every bot in the same rounds, which goes first alternating, the process table read afresh and untimed before each pass (the look a supervised run pays anyway): what the states add is their own reads, each thread's stat for `stuck-in-d`.",
      "The forensics capture is `captureForensics` (src/process/forensics.ts) on the first bot, as a restart for a hang runs it, without a helper command.",
    ],
    tables: [{ caption: "Wall time per service of one round, and of one capture", columns: ["bots", "probe", "median", "p95", "goal", "", "n"], rows }],
    findings,
  };
}
