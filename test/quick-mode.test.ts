// Quick mode end to end: `lifeguard run [flags] -- CMD ARGS...` supervises a real bot with no
// config file, restarts it when it freezes (SIGSTOP) or crashes, and leaves no process behind.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { logBotArgv, type BotPids, type LogBotOptions } from "../src/testing/bots.js";
import { readProcStat } from "../src/process/proc-stat.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "./support/lab.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };

/**
 * Starts `lifeguard run --state <tmp> --listen 127.0.0.1:0 ...flags -- python3 log-bot.py -`:
 * the bot writes its lines to standard output, which Lifeguard captures. Every process is
 * ended by PID after the test, whatever happened.
 */
function startQuickMode(t: TestContext, flags: string[], bot: LogBotOptions) {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-quick-"));
  const state = join(dir, "state");
  const pidFile = join(dir, "bot.pid");
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["LIFEGUARD_TOKEN", "LIFEGUARD_STATE", "NOTIFY_SOCKET"]) delete env[name];
  const args = [BIN, "run", "--state", state, "--listen", "127.0.0.1:0", ...flags, "--", ...logBotArgv("-", { everyMs: 200, pidFile, ...bot })];
  const lifeguard = spawn(process.execPath, args, { cwd: REPO, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  lifeguard.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  lifeguard.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => lifeguard.once("exit", (code) => resolve(code)));
  const seen = new Map<number, number>(); // pid → start time, of every bot process
  const botPid = (): number | null => {
    if (!existsSync(pidFile)) return null;
    try {
      const { pid } = JSON.parse(readFileSync(pidFile, "utf8")) as BotPids;
      const stat = readProcStat(pid);
      if (stat !== null) seen.set(pid, stat.startTime);
      return pid;
    } catch {
      return null; // half-written
    }
  };
  const isAlive = (pid: number, startTime: number) => {
    const stat = readProcStat(pid);
    return stat !== null && stat.startTime === startTime && stat.state !== "Z";
  };
  t.after(() => {
    if (lifeguard.exitCode === null && lifeguard.signalCode === null) process.kill(-(lifeguard.pid as number), "SIGKILL");
    for (const [pid, startTime] of seen) if (isAlive(pid, startTime)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    state,
    log: () => output,
    botPid,
    /** The bots seen so far that still run. */
    aliveBots: () => [...seen].filter(([pid, startTime]) => isAlive(pid, startTime)).map(([pid]) => pid),
    /** Waits for the log to match, remembering each bot the pid file names meanwhile. */
    waitForLog: (pattern: RegExp) => waitFor(() => (botPid(), pattern.test(output)), WAIT),
    /** SIGTERM to Lifeguard's own PID; resolves to its exit code. */
    stop: async () => {
      process.kill(lifeguard.pid as number, "SIGTERM");
      return exited;
    },
    pid: lifeguard.pid as number,
  };
}

test("quick mode restarts a frozen bot once its output is older than --max-age, has nothing to reload, and leaves nothing on SIGTERM", async (t) => {
  const quick = startQuickMode(t, ["--max-age", "2s", "--interval", "30s"], {});
  assert.ok(await quick.waitForLog(/Lifeguard started: watching "python3" \(pid \d+\); status at http:\/\/127\.0\.0\.1:\d+\/api\/status/), quick.log());
  assert.ok(await waitFor(() => quick.botPid() !== null, WAIT), "the bot wrote its pid file");
  const first = quick.botPid() as number;
  const outputFile = join(quick.state, "quick-python3", "python3.out.log");
  // 15 lines at 200ms: the bot has run past its startup grace (as long as --max-age), so its freeze counts at once.
  assert.ok(await waitFor(() => existsSync(outputFile) && /Update 15\b/.test(readFileSync(outputFile, "utf8")), WAIT), "its output is captured to <state>/quick-<name>/<name>.out.log");

  process.kill(first, "SIGSTOP");
  assert.ok(await quick.waitForLog(/\[FAIL\] Log file is stale: last written \d+s ago \(max-age 2s\)/), quick.log());
  assert.ok(await quick.waitForLog(/\[RESTART\] "python3" restarted \(reason: log-fresh\), 1 of 3 in the last 1h/), quick.log());
  assert.ok(await waitFor(() => ![null, first].includes(quick.botPid()), WAIT), "a new bot runs");
  assert.ok(!quick.aliveBots().includes(first), "the frozen bot is gone");

  // The log line and the status API agree on where it listens.
  const url = /status at (http:\/\/127\.0\.0\.1:\d+)\/api\/status/.exec(quick.log())?.[1];
  const status = (await (await fetch(`${url}/api/status`)).json()) as { services: Array<{ service: string; restartsInWindow: number }> };
  assert.deepEqual(status.services.map((s) => [s.service, s.restartsInWindow]), [["python3", 1]]);

  process.kill(quick.pid, "SIGHUP");
  assert.ok(await quick.waitForLog(/Nothing to reload on SIGHUP: quick mode has no configuration file; supervising on as before/), quick.log());

  assert.equal(await quick.stop(), 0);
  assert.match(quick.log(), /Lifeguard stopped/);
  assert.deepEqual(quick.aliveBots(), [], "no bot outlives Lifeguard");
});

test("quick mode restarts a bot that crashes at once", async (t) => {
  const quick = startQuickMode(t, [], { crashAfter: 10 });
  assert.ok(await quick.waitForLog(/\[FAIL\] "python3" exited with code 1 after .*; last output: .*Traceback/), quick.log());
  assert.ok(await quick.waitForLog(/\[RESTART\] "python3" restarted \(reason: running\)/), quick.log());
  assert.equal(await quick.stop(), 0);
  assert.deepEqual(quick.aliveBots(), [], "no bot outlives Lifeguard");
});
