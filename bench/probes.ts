// The cost of issue 15's process-level probes: one round of a service's `connection`, `memory` and
// `cpu` checks, for 1 and 200 supervised bots at once, and one pre-kill forensics capture. Real Python bots (each a
// deadlocked pair of threads beside its main thread, holding a connection to a loopback server
// that never reads), real runners, the probes as the daemon builds them.
import { performance } from "node:perf_hooks";
import { createCheck } from "../src/checks/registry.js";
import { startLoopbackServer } from "../src/testing/loopback-server.js";
import { DEADLOCKED_PAIR } from "../src/testing/python-snippets.js";
import type { CheckConfigOf } from "../src/config/types.js";
import type { Check } from "../src/core/check.js";
import { systemClock } from "../src/process/system-clock.js";
import { captureForensics } from "../src/process/forensics.js";
import { ProcessRunner } from "../src/runners/process.js";
import { becomeChildSubreaper } from "../src/process/subreaper.js";
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
${DEADLOCKED_PAIR}for target in (one, two): threading.Thread(target=target, daemon=True).start()
time.sleep(100000)
`;

/** The checks of one bot, as the daemon builds them from its config: `memory`, `cpu` and `connection` to the broker. */
function botChecks(runner: ProcessRunner, name: string, port: number): Check[] {
  const common = { timeoutMs: 5000, alertOnly: false };
  const memory: CheckConfigOf<"memory"> = { kind: "memory", id: "memory", ...common, maxBytes: 1024 * 2 ** 20, measure: "rss", of: "service", restartBeforeOomMs: 600_000, windowMs: 600_000, warmupMs: 0 };
  const cpu: CheckConfigOf<"cpu"> = { kind: "cpu", id: "cpu", ...common, pegged: { abovePercent: 90, forMs: 60_000 }, frozen: null, maxThreads: 1000, maxFds: 1000, stuckInDMs: null, maxZombies: null, threadsGrowingMs: null, fdsGrowingMs: null };
  const connection: CheckConfigOf<"connection"> = { kind: "connection", id: "connection", ...common, to: { host: "127.0.0.1", port }, stuckForMs: 30_000 };
  const heartbeats = { lookUpHeartbeat: (_service: string, now: number) => ({ watchedSince: now, lastPing: null }) };
  return [memory, cpu, connection].map((config) => createCheck(config, { clock: systemClock, runner, serviceName: name, heartbeats }));
}

/**
 * What the process states add to a `cpu` check: the bench's `cpu` check, and the same with
 * `stuck-in-d`, `max-zombies` and `growing`, over the same bots in the same rounds (which goes
 * first alternates): the difference is the states' own reads.
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
  // As the daemon in supervisor mode: the reaper of its services' orphans, which its runs' trees then include.
  const subreaper = becomeChildSubreaper();
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
        const checks = runners.map((runner, i) => botChecks(runner, `bot-${i}`, port));
        const perService: number[] = [];
        // Every bot's send queue is stuck by design: once a connection's samples reach back 30 s, the check fails it, as it must.
        let stuck = 0;
        let failed = 0;
        let firstFailure = "";
        for (let round = 0; round < options.rounds; round += 1) {
          await apart(round);
          const started = performance.now();
          // One service after another, each one's checks at once: as the daemon runs a service's round.
          for (const own of checks) {
            for (const observation of await Promise.all(own.map((check) => check.run(new AbortController().signal)))) {
              if (observation.ok) continue;
              if (/ stuck for /.test(observation.summary)) stuck += 1;
              else {
                failed += 1;
                firstFailure ||= observation.summary;
              }
            }
          }
          perService.push((performance.now() - started) / count);
        }
        const figures = summarise(perService);
        const bots = `${count} ${count === 1 ? "bot" : "bots"}`;
        rows.push([bots, "one round of `memory` + `cpu` + `connection`", formatMs(figures.median, 3), formatMs(figures.p95, 3), `< ${GOAL_MS_PER_SERVICE} ms`, verdict(figures.median < GOAL_MS_PER_SERVICE), String(figures.n)]);
        findings.push(`${verdict(figures.median < GOAL_MS_PER_SERVICE)} ${bots}: one round of \`memory\` + \`cpu\` + \`connection\` costs ${formatMs(figures.median, 3)} per service (median of ${figures.n} rounds, p95 ${formatMs(figures.p95, 3)}: the first round reads the whole process and socket tables)${count === 1 && subreaper !== null ? `. This process could not become a subreaper (${subreaper}), so orphans are looked for in the whole table` : ""}. ${stuck} of ${count * options.rounds} looks found the bot's connection stuck, as each bot's is once 30 s of samples exist (\`stuck-for: 30s\`); ${failed} failed otherwise${failed === 0 ? "" : `; the first said: ${firstFailure}`}.`);
        const cost = await timeStates(runners, options.rounds);
        rows.push([bots, "`cpu` (`pegged`, `max-threads`, `max-fds`)", formatMs(cost.plain.median, 3), formatMs(cost.plain.p95, 3), "–", "", String(cost.plain.n)]);
        rows.push([bots, "the same `cpu` with `stuck-in-d`, `max-zombies`, `growing` (same rounds)", formatMs(cost.states.median, 3), formatMs(cost.states.p95, 3), "–", "", String(cost.states.n)]);
        findings.push(`${bots}: the process states (\`stuck-in-d\`: each thread's stat; \`max-zombies\`: the children lists of its processes; \`growing\`: the counts already read) make a \`cpu\` check cost ${formatMs(cost.states.median, 3)} per service against ${formatMs(cost.plain.median, 3)} without them, measured in the same rounds, each pass paying its own reads: ${(cost.states.median / cost.plain.median).toFixed(2)} times (${cost.states.median >= cost.plain.median ? "+" : "−"}${formatMs(Math.abs(cost.states.median - cost.plain.median), 3)}).`);
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
      "Real supervised bots (`/usr/bin/python3`: a deadlocked pair of threads beside the main thread, holding a connection to a loopback server that accepts and never reads, with its send queue full), each started by a ProcessRunner as the daemon starts a `command:` service; the bench process runs each bot's three checks as the daemon builds them (`src/checks/registry.ts`) and runs them (at once, one bot after another), round after round, and divides each round's wall time by the number of bots. Rounds are 1.1 s apart, so that each pays what a daemon's rounds pay, whose services come round at most once a second: the bench process is a child subreaper, as the daemon is; a run's processes are found from its own process tree (the whole process table, shared for a second, at a run's first look and every 30 s), and a connection already found is looked up alone by its address pair (the kernel's whole socket table, shared for a second, when the service's sockets change and every 30 s). The goal is judged on the median round.",
      "The process states' cost: the `cpu` check above without `frozen`, and the same with `stuck-in-d`, `max-zombies` and `growing`, each over every bot in the same rounds, which goes first alternating: what the states add is their own reads, each thread's stat for `stuck-in-d`, the children lists for `max-zombies`.",
      "The forensics capture is `captureForensics` (src/process/forensics.ts) on the first bot, as a restart for a hang runs it, without a helper command.",
    ],
    tables: [{ caption: "Wall time per service of one round, and of one capture", columns: ["bots", "probe", "median", "p95", "goal", "", "n"], rows }],
    findings,
  };
}
