import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { createInterface } from "node:readline";
import { createCheck } from "../src/checks/registry.js";
import type { CheckConfig, HttpCheckConfig } from "../src/config/types.js";
import { runCommand } from "../src/process/run-command.js";
import { systemClock } from "../src/process/system-clock.js";
import { unusedHeartbeats } from "../src/testing/unused-heartbeats.js";
import { unusedRunner } from "../src/testing/unused-runner.js";
import { formatBytes, formatMs, type Section } from "./report.js";
import { exposeGc } from "./tail.js";
import { summarise, type Summary } from "./stats.js";

const CURL = "/usr/bin/curl";
/** Wait before a memory reading, for the sockets just destroyed to close. */
const SETTLE_MS = 200;
/** A web server in a process of its own, so that its work is not timed with the check's: `/health` answers "ok", `/endless` never ends its body. */
const SERVER = `
const chunk = Buffer.alloc(64 * 1024, "y");
const server = require("node:http").createServer((request, response) => {
  if (request.url !== "/endless") return void response.end("ok\\n");
  response.writeHead(200);
  const pump = () => { while (!response.destroyed && response.write(chunk)); if (!response.destroyed) response.once("drain", pump); };
  pump();
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

export interface NetChecksBenchOptions {
  warmup: number;
  iterations: number;
  /** Checks of an endless body run back to back, RSS taken before and after. */
  endlessRuns: number;
}

/**
 * One run of each network check against a loopback server, beside what a cron script would run
 * for the same question (curl, and a bare spawn for exec), interleaved in one window so that the
 * machine's load weighs on all alike; and the memory of checks whose answer never ends.
 */
export async function benchNetChecks(options: NetChecksBenchOptions): Promise<Section> {
  const server = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const [line] = (await once(createInterface({ input: server.stdout as NonNullable<ChildProcess["stdout"]> }), "line")) as [string];
    const port = Number(line);
    const url = `http://127.0.0.1:${port}/health`;
    const common = { timeoutMs: 10_000, alertOnly: false };
    const check = (config: CheckConfig) => {
      const built = createCheck(config, { clock: systemClock, runner: unusedRunner, serviceName: "bench", heartbeats: unusedHeartbeats });
      return async () => {
        const observation = await built.run(new AbortController().signal);
        if (!observation.ok) throw new Error(`bench check failed: ${observation.summary}`);
      };
    };
    const httpConfig: HttpCheckConfig = { kind: "http", id: "http", ...common, url, method: "GET", status: [{ from: 200, to: 399 }], body: "ok", headers: {}, followRedirects: false, caFile: null, ca: null };
    const subjects: Array<{ name: string; run: () => Promise<void> }> = [
      { name: "`http` check (GET, body matched)", run: check(httpConfig) },
      { name: "peer: `curl -fsS` of the same URL, spawned", run: async () => void mustPass(await runCommand([CURL, "-fsS", "-o", "/dev/null", url], { timeoutMs: 10_000 })) },
      { name: "`tcp` check (connect, close)", run: check({ kind: "tcp", id: "tcp", ...common, host: "127.0.0.1", port }) },
      { name: "`exec` check (`/bin/true`)", run: check({ kind: "exec", id: "exec", ...common, command: ["/bin/true"], exitCode: 0, cwd: null, env: {} }) },
      { name: "floor: spawn of `/bin/true` (runCommand)", run: async () => void mustPass(await runCommand(["/bin/true"], { timeoutMs: 10_000 })) },
    ];
    const times = await timeRoundRobin(subjects.map((subject) => subject.run), options);
    const endless = check({ ...httpConfig, id: "http#2", url: `http://127.0.0.1:${port}/endless`, body: "^y" });
    const memory = await measureEndless(endless, options.endlessRuns);
    const [first, last] = [memory.held[0] as Held, memory.held.at(-1) as Held];
    const httpMedian = (times[0] as Summary).median;
    const curlMedian = (times[1] as Summary).median;
    return {
      title: "Network checks: http, tcp, exec (issue 15)",
      method: [
        `Each subject run ${options.iterations} times after ${options.warmup} warm-up runs, round robin (one of each in turn), against a loopback web server in a process of its own; times from before the call to its end, as a round waits for them.`,
        "The peer is what a cron watchdog runs to ask the same question: curl, spawned. The exec check's floor is a bare spawn of the same program.",
        `Memory: ${options.endlessRuns} http checks in a row against a body that never ends (the server writes as fast as the socket takes); the bench's process measured before, halfway and after, each time 200 ms after the last check and after a full GC.`,
      ],
      tables: [
        {
          caption: "Wall time of one run",
          columns: ["subject", "median", "p95", "min", "max"],
          rows: subjects.map((subject, index) => {
            const summary = times[index] as Summary;
            return [subject.name, formatMs(summary.median), formatMs(summary.p95), formatMs(summary.min), formatMs(summary.max)];
          }),
        },
        {
          caption: "An answer that never ends: what the process holds after a full GC",
          columns: ["after runs", "JS heap + buffers", "RSS"],
          rows: memory.held.map((held, index) => [String([0, options.endlessRuns / 2, options.endlessRuns][index]), formatBytes(held.heap), formatBytes(held.rss)]),
        },
      ],
      findings: [
        `An http check costs ${formatMs(httpMedian)} (median), curl ${formatMs(curlMedian)}: ${(curlMedian / httpMedian).toFixed(1)}× the check's time, most of it the spawn.`,
        `A body that never ends is read to the 64 KiB cap and dropped, ${formatMs(memory.times.median)} a check (median): over ${options.endlessRuns} checks the JS heap with its buffers went from ${formatBytes(first.heap)} to ${formatBytes(last.heap)} (${last.heap - first.heap < 1024 * 1024 ? "flat: no body is kept" : "grew: look again"}), RSS from ${formatBytes(first.rss)} to ${formatBytes(last.rss)} (RSS moves with what the allocator keeps of freed socket buffers, either way).`,
      ],
    };
  } finally {
    server.kill("SIGKILL");
  }
}

function mustPass(result: { ok: boolean; summary: string }): void {
  if (!result.ok) throw new Error(`bench peer failed: ${result.summary}`);
}

async function timeRoundRobin(runs: Array<() => Promise<void>>, options: NetChecksBenchOptions): Promise<Summary[]> {
  const samples = runs.map((): number[] => []);
  for (let round = 0; round < options.warmup + options.iterations; round += 1) {
    for (const [index, run] of runs.entries()) {
      const started = performance.now();
      await run();
      if (round >= options.warmup) samples[index]?.push(performance.now() - started);
    }
  }
  return samples.map((series) => summarise(series));
}

/** What the process holds after a full GC: RSS, and the JS heap with the buffers it owns (what a leak of bodies would grow). */
interface Held {
  rss: number;
  heap: number;
}

async function measureEndless(run: () => Promise<void>, count: number): Promise<{ held: Held[]; times: Summary }> {
  const gc = exposeGc();
  // The last checks' sockets let go of their buffers at their close, a few turns later: settle first.
  const take = async (): Promise<Held> => {
    await delay(SETTLE_MS);
    gc();
    const usage = process.memoryUsage();
    return { rss: usage.rss, heap: usage.heapUsed + usage.arrayBuffers };
  };
  await run();
  const held = [await take()];
  const times: number[] = [];
  for (let index = 1; index <= count; index += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
    if (index === count / 2 || index === count) held.push(await take());
  }
  return { held, times: summarise(times) };
}
