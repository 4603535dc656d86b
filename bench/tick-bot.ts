import { spawn } from "node:child_process";
import { closeSync, openSync, readSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as delay } from "node:timers/promises";
import { PYTHON } from "../src/testing/bots.js";

/** The bot the daemon benchmarks supervise: a line every EVERY_MS with its pid and wall time (bench/bots/tick-bot.py). */
export const TICK_BOT = fileURLToPath(new URL("./bots/tick-bot.py", import.meta.url));
const POLL_MS = 2;

export function tickBotArgv(log: string, everyMs: number, pidFile: string): string[] {
  return [PYTHON, TICK_BOT, log, String(everyMs), pidFile];
}

/** One line of the bot's log. `t` is the wall time (ms) just before the write; `born` (first line only) the script's first statement. */
export interface BotLine {
  kind: "started" | "tick" | "stopping";
  pid: number;
  t: number;
  born: number | null;
}

const LINE = /^(started|tick|stopping) pid=(\d+) t=([\d.]+)(?: born=([\d.]+))?/;

/** Reads the bot's log as it grows: only whole new lines, from where the last read stopped. */
export interface BotLog {
  /** The new lines since the last call. */
  read(): BotLine[];
  /** Every line read so far. */
  readonly lines: BotLine[];
  /** Waits for a `started` line of a process other than `previousPid`; throws after `timeoutMs`. */
  waitForStart(previousPid: number | null, timeoutMs: number): Promise<BotLine>;
}

export function followBotLog(path: string): BotLog {
  let offset = 0;
  let partial = "";
  const lines: BotLine[] = [];
  const buffer = Buffer.alloc(256 * 1024);
  const read = (): BotLine[] => {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch {
      return [];
    }
    let text = partial;
    try {
      for (let n = readSync(fd, buffer, 0, buffer.length, offset); n > 0; n = readSync(fd, buffer, 0, buffer.length, offset)) {
        offset += n;
        text += buffer.toString("latin1", 0, n);
      }
    } finally {
      closeSync(fd);
    }
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    const fresh = parts.flatMap((line) => {
      const match = LINE.exec(line);
      return match === null ? [] : [{ kind: match[1] as BotLine["kind"], pid: Number(match[2]), t: Number(match[3]), born: match[4] === undefined ? null : Number(match[4]) }];
    });
    lines.push(...fresh);
    return fresh;
  };
  return {
    read,
    lines,
    async waitForStart(previousPid, timeoutMs) {
      const end = Date.now() + timeoutMs;
      // Bots follow one another: the latest `started` line names the running one.
      for (read(); ; read()) {
        const latest = lines.findLast((line) => line.kind === "started");
        if (latest !== undefined && latest.pid !== previousPid) return latest;
        if (Date.now() > end) throw new Error(`No bot started in "${path}" within ${timeoutMs} ms (previous pid ${previousPid ?? "none"})`);
        await delay(POLL_MS);
      }
    },
  };
}

/**
 * The bot's own start-up, without any supervisor: the bench spawns it as the daemon does (detached,
 * stdin /dev/null, stdout and stderr piped) and times from just before spawn() to the wall time of
 * its first line. Each bot is ended with SIGTERM by PID before the next starts.
 */
export async function measureBotStartup(dir: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const log = join(dir, `startup-${run}.log`);
    const bot = followBotLog(log);
    const before = Date.now();
    const child = spawn(PYTHON, tickBotArgv(log, 1000, join(dir, `startup-${run}.pid`)).slice(1), { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdout?.resume();
    child.stderr?.resume();
    try {
      const first = await bot.waitForStart(null, 10_000);
      times.push(first.t - before);
    } finally {
      child.kill("SIGTERM");
      await Promise.race([exited, delay(5000).then(() => child.kill("SIGKILL"))]);
      await exited;
      rmSync(log, { force: true });
    }
  }
  return times;
}

/** Restart settings for benchmark trials: no backoff and a limit never reached, so trial after trial is restarted at once. */
export const TRIAL_RESTART = {
  "stop-timeout": "2s",
  "kill-wait": "1s",
  "verify-timeout": "5s",
  limit: { max: 1000, per: "1h" },
  backoff: { initial: "0s", max: "0s" },
};

/** A supervised tick bot as a `services:` entry (`command:`, supervisor mode), with its log and pid file. */
export function tickBotService(dir: string, options: { everyMs: number; intervalMs: number; maxAge: string }): { service: Record<string, unknown>; log: string; pidFile: string } {
  const log = join(dir, "bot.log");
  const pidFile = join(dir, "bot.pid");
  const service = {
    command: tickBotArgv(log, options.everyMs, pidFile),
    output: { file: join(dir, "bot.out") },
    interval: `${options.intervalMs / 1000}s`,
    checks: [{ "log-fresh": { path: log, "max-age": options.maxAge } }],
    // As monit does: act on the first failed cycle.
    "failure-threshold": 1,
    "startup-grace": "1s",
    restart: TRIAL_RESTART,
  };
  return { service, log, pidFile };
}
