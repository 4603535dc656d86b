import { after, before, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { readProcStat } from "../process/proc-stat.js";
import { ProcessRunner, type ProcessExit } from "./process.js";
import { signalGroup } from "./process/process-group.js";
import { runnerContract } from "./runner.contract.js";
import { logBotArgv, PYTHON, readBotPids } from "../testing/bots.js";
import { labFor, nextExit, processLab, type ProcessLab } from "../testing/process-lab.js";
import { waitFor } from "../testing/wait-for.js";

const forever = (): AbortSignal => new AbortController().signal;
const WAIT_MS = 20_000;
const python = (code: string): string[] => [PYTHON, "-c", code];

describe("ProcessRunner keeps the runner contract", () => {
  let lab: ProcessLab | undefined;
  before(() => void (lab = processLab()));
  after(() => lab?.close());
  runnerContract(() => {
    if (lab === undefined) throw new Error("The lab was not made");
    return lab;
  });
});

test("a crash reaches the exit listener from the exit itself, and a start from there runs a new bot", async (t) => {
  const lab = labFor(t);
  // A poll interval of an hour: only the exit event can tell of the crash in time.
  const runner = lab.botRunner({ crashAfter: 3, everyMs: 50, pollIntervalMs: 3_600_000 });
  const restarted = new Promise<ProcessExit>((resolve) => {
    const unsubscribe = runner.onExit((exit) => {
      unsubscribe();
      void runner.start(WAIT_MS, forever()).then(() => resolve(exit));
    });
  });
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const first = await lab.processesOf(runner);

  const exit = await restarted;
  assert.deepEqual({ pid: exit.pid, code: exit.code, signal: exit.signal, requested: exit.requested, state: exit.state }, { pid: first.bot.pid, code: 1, signal: null, requested: false, state: "failed" });
  assert.ok(exit.uptimeMs >= 100, `three lines 50ms apart take 100ms at least, got ${exit.uptimeMs}ms`);
  assert.ok(exit.at <= Date.now());
  const second = await lab.processesOf(runner, first);
  assert.notEqual(second.bot.pid, first.bot.pid);
  assert.equal((await runner.status(forever())).state, "active");
});

test("status tells a crash by its exit code and uptime", async (t) => {
  const lab = labFor(t);
  const runner = lab.runner({ name: "bot", command: python("import sys, time; time.sleep(0.2); sys.exit(3)") });
  const exited = nextExit(runner);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  await exited;
  const status = await runner.status(forever());
  assert.equal(status.ok, false);
  assert.equal(status.state, "failed");
  assert.match(status.summary, /^"bot" is "failed" \(exited with code 3 after \d+ms\)$/);
});

test("a stop is reported to the exit listener as requested, and the service as inactive", async (t) => {
  const lab = labFor(t);
  const runner = lab.botRunner({});
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  await lab.processesOf(runner);
  const exited = nextExit(runner);
  assert.equal((await runner.stop(WAIT_MS, forever())).ok, true);
  const exit = await exited;
  assert.equal(exit.requested, true);
  assert.equal(exit.state, "inactive");
  assert.equal(exit.code, 0, "the bot exits 0 on SIGTERM");
});

test("stop continues a frozen (SIGSTOPped) service so that it can act on SIGTERM", async (t) => {
  const lab = labFor(t);
  const runner = lab.botRunner({});
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const { bot } = await lab.processesOf(runner);
  process.kill(bot.pid, "SIGSTOP");
  assert.ok(await waitFor(() => readProcStat(bot.pid)?.state === "T"), "the bot is frozen");
  const exited = nextExit(runner);
  const stop = await runner.stop(WAIT_MS, forever());
  assert.equal(stop.ok, true, stop.summary);
  assert.equal((await exited).code, 0, "it stopped on SIGTERM, with its last line");
});

test("stdout and stderr are appended to the output file", async (t) => {
  const lab = labFor(t);
  const file = join(lab.dir, "both.out");
  writeFileSync(file, "from an earlier run\n");
  const runner = lab.runner({ command: python("import sys; print('to stdout', flush=True); print('to stderr', file=sys.stderr, flush=True)"), output: { file, maxBytes: 4096, keep: 1 }, settleMs: 0 });
  const exited = nextExit(runner);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const exit = await exited;
  const lines = readFileSync(file, "utf8").split("\n");
  assert.equal(lines[0], "from an earlier run");
  assert.deepEqual(lines.slice(1).sort(), ["", "to stderr", "to stdout"]);
  assert.ok(["to stderr", "to stdout"].includes(exit.lastOutput ?? ""), `last output: ${exit.lastOutput}`);
});

test("output is rotated by size into `keep` files, each within maxBytes and made of whole lines", async (t) => {
  const lab = labFor(t);
  const file = join(lab.dir, "chatty.out");
  const expected = Array.from({ length: 200 }, (_, index) => `line ${String(index).padStart(4, "0")} ${"x".repeat(40)}\n`).join("");
  const runner = lab.runner({ command: python("import sys\nfor i in range(200): print('line %04d ' % i + 'x' * 40)"), output: { file, maxBytes: 1000, keep: 2 }, settleMs: 0 });
  const exited = nextExit(runner);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const exit = await exited;

  assert.equal(exit.code, 0);
  assert.equal(exit.lastOutput, `line 0199 ${"x".repeat(40)}`);
  assert.equal(existsSync(`${file}.3`), false, "no more than `keep` rotated files");
  const parts = [`${file}.2`, `${file}.1`, file].map((path) => readFileSync(path, "utf8"));
  for (const part of parts) {
    assert.ok(Buffer.byteLength(part) <= 1000, `a file of ${Buffer.byteLength(part)} bytes`);
    assert.match(part, /^line \d{4} x{40}\n(line \d{4} x{40}\n)*$/, "whole lines only");
  }
  assert.ok(statSync(`${file}.1`).size > 1000 - 50, "a rotated file is full to its last whole line");
  assert.ok(expected.endsWith(parts.join("")), "the newest output, in order, without a gap");
});

test("a service ignoring SIGTERM is killed with its child as a group", async (t) => {
  const lab = labFor(t);
  const runner = lab.botRunner({ ignoreTerm: true, child: true });
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const { bot, child } = await lab.processesOf(runner);
  assert.ok(child !== null);
  const exited = nextExit(runner);

  const stop = await runner.stop(300, forever());
  assert.equal(stop.timedOut, true);
  assert.equal(stop.summary, `"${runner.target}" did not stop within 300ms: 2 of its processes are still running (PIDs ${[bot.pid, child.pid].sort((a, b) => a - b).join(", ")})`);
  const kill = await runner.kill(WAIT_MS, forever());
  assert.equal(kill.ok, true, kill.summary);
  assert.equal(kill.summary, `Killed "${runner.target}" (SIGKILL to 2 processes of its run)`);
  assert.ok(!lab.isAlive(bot) && !lab.isAlive(child), "bot and child are gone");
  const exit = await exited;
  assert.deepEqual({ signal: exit.signal, requested: exit.requested, state: exit.state }, { signal: "SIGKILL", requested: true, state: "inactive" });
});

test("a process left in the group after the leader died blocks a start until kill ends it", async (t) => {
  const lab = labFor(t);
  const runner = lab.botRunner({ child: true });
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const { bot, child } = await lab.processesOf(runner);
  assert.ok(child !== null);
  const exited = nextExit(runner);
  process.kill(bot.pid, "SIGKILL"); // the leader alone dies, as a daemonising parent would exit

  const exit = await exited;
  assert.deepEqual({ signal: exit.signal, requested: exit.requested, state: exit.state }, { signal: "SIGKILL", requested: false, state: "failed" });
  assert.ok(lab.isAlive(child), "the child stays in the group");
  const status = await runner.status(forever());
  assert.match(status.summary, new RegExp(`^"${runner.target}" is "failed" \\(was killed by SIGKILL after \\d+m?s; PID ${child.pid} is still running\\)$`));
  assert.deepEqual(status.evidence.leftPids, [child.pid]);
  const refused = await runner.start(WAIT_MS, forever());
  assert.equal(refused.ok, false);
  assert.equal(refused.summary, `Cannot start "${runner.target}" as its previous run left 1 process running (PIDs ${child.pid})`);

  const kill = await runner.kill(WAIT_MS, forever());
  assert.equal(kill.ok, true, kill.summary);
  assert.deepEqual(kill.evidence.signalled, [child.pid]);
  assert.ok(!lab.isAlive(child), "the child is gone");
  assert.equal((await runner.status(forever())).state, "failed", "killing the leftover does not make the crash look requested");
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  assert.notEqual((await lab.processesOf(runner, { bot, child })).bot.pid, bot.pid);
});

test("shutdown escalates to SIGKILL, leaves no process of the group, and refuses later starts", async (t) => {
  const lab = labFor(t);
  const runner = lab.botRunner({ ignoreTerm: true, child: true });
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  const { bot, child } = await lab.processesOf(runner);
  const shutdown = await runner.shutdown({ stopTimeoutMs: 200, killWaitMs: WAIT_MS });
  assert.equal(shutdown.ok, true, shutdown.summary);
  assert.equal(shutdown.summary, `"${runner.target}" did not stop within 200ms of SIGTERM and was killed (SIGKILL to every process of its run)`);
  assert.ok(!lab.isAlive(bot) && (child === null || !lab.isAlive(child)));
  const start = await runner.start(WAIT_MS, forever());
  assert.equal(start.summary, `Cannot start "${runner.target}" as Lifeguard is shutting down`);
  assert.equal((await runner.shutdown({ stopTimeoutMs: 200, killWaitMs: 200 })).ok, true, "a second shutdown is harmless");
});

describe("when Lifeguard itself ends", () => {
  const FIXTURE = fileURLToPath(new URL("./fixtures/supervise.ts", import.meta.url));

  /** Runs the supervise fixture on the log bot (ignoring SIGTERM, with a child); cleans up bot, child and fixture by pid and group. */
  async function supervise(t: TestContext, flags: string[]) {
    const lab = labFor(t);
    const pidFile = join(lab.dir, "bot.pid");
    const argv = logBotArgv(join(lab.dir, "bot.log"), { everyMs: 100, ignoreTerm: true, child: true, pidFile });
    const fixture = spawn(process.execPath, ["--import", "tsx", FIXTURE, "300", ...flags, "--", ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => fixture.once("exit", (code) => resolve(code)));
    const lines = createInterface({ input: fixture.stdout })[Symbol.asyncIterator]();
    fixture.stderr.resume();
    const pids = await readBotPids(pidFile, WAIT_MS);
    const bot = { pid: pids.pid, startTime: readProcStat(pids.pid)?.startTime ?? -1 };
    const child = { pid: pids.child ?? -1, startTime: readProcStat(pids.child ?? -1)?.startTime ?? -1 };
    t.after(async () => {
      if (fixture.exitCode === null && fixture.signalCode === null) fixture.kill("SIGKILL");
      await exited;
      signalGroup({ pgid: bot.pid, leaderStartTime: bot.startTime, token: null }, "SIGKILL", false);
    });
    assert.equal((await lines.next()).value, `started ${bot.pid}`);
    return { lab, fixture, exited, lines, bot, child };
  }

  test("Lifeguard getting SIGTERM shuts the service down: no process of its group is left", async (t) => {
    const { lab, fixture, exited, lines, bot, child } = await supervise(t, []);
    assert.ok(lab.isAlive(bot) && lab.isAlive(child));
    fixture.kill("SIGTERM");
    assert.equal((await lines.next()).value, `shutdown ok: "supervised" did not stop within 300ms of SIGTERM and was killed (SIGKILL to every process of its run)`);
    assert.equal(await exited, 0);
    assert.ok(!lab.isAlive(bot) && !lab.isAlive(child), "bot and child are gone");
  });

  test("Lifeguard dying of an uncaught error takes the service's group with it", async (t) => {
    const { lab, exited, bot, child } = await supervise(t, ["--crash"]);
    assert.equal(await exited, 1);
    assert.ok(await waitFor(() => !lab.isAlive(bot) && !lab.isAlive(child)), "bot and child are gone");
  });
});

test("the command runs as the given user, with its identity in the environment", { skip: process.getuid?.() === 0 ? false : "needs root to switch users" }, async (t) => {
  const lab = labFor(t);
  const file = join(lab.dir, "whoami.out");
  const code = "import os; print(os.getuid(), os.getgid(), os.getgroups(), os.environ['HOME'], os.environ['USER'])";
  const runner = lab.runner({ command: python(code), user: "nobody", output: { file, maxBytes: 4096, keep: 0 }, settleMs: 0 });
  const exited = nextExit(runner);
  const start = await runner.start(WAIT_MS, forever());
  assert.equal(start.ok, true, start.summary);
  assert.equal((await exited).code, 0);
  // Supplementary groups are dropped (Node's setgroups(0) before setgid/setuid).
  assert.equal(readFileSync(file, "utf8"), "65534 65534 [] /nonexistent nobody\n");
});

test("cwd and env reach the command, on top of the inherited environment", async (t) => {
  const lab = labFor(t);
  const file = join(lab.dir, "env.out");
  const code = "import os; print(os.getcwd(), os.environ['GREETING'], os.environ.get('INHERITED'))";
  const runner = lab.runner({ command: python(code), cwd: lab.dir, env: { GREETING: "hello" }, baseEnv: { INHERITED: "yes" }, output: { file, maxBytes: 4096, keep: 0 }, settleMs: 0 });
  const exited = nextExit(runner);
  assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
  await exited;
  assert.equal(readFileSync(file, "utf8"), `${lab.dir} hello yes\n`);
});

test("startEnv is asked at each start, and env wins over it", async (t) => {
  const lab = labFor(t);
  const file = join(lab.dir, "start-env.out");
  const code = "import os; print(os.environ.get('LIFEGUARD_PING_URL'), os.environ['GREETING'])";
  let starts = 0;
  const startEnv = () => ({ LIFEGUARD_PING_URL: `http://127.0.0.1:${++starts}/ping/k/bot`, GREETING: "from startEnv" });
  const runner = lab.runner({ command: python(code), env: { GREETING: "hello" }, startEnv, baseEnv: {}, output: { file, maxBytes: 4096, keep: 0 }, settleMs: 0 });
  for (let run = 0; run < 2; run++) {
    const exited = nextExit(runner);
    assert.equal((await runner.start(WAIT_MS, forever())).ok, true);
    await exited;
  }
  assert.equal(readFileSync(file, "utf8"), "http://127.0.0.1:1/ping/k/bot hello\nhttp://127.0.0.1:2/ping/k/bot hello\n");
});

describe("a start that cannot happen says why", () => {
  const startOf = async (t: TestContext, options: Partial<ConstructorParameters<typeof ProcessRunner>[0]>) => {
    const runner = labFor(t).runner({ name: "bot", command: python("import time; time.sleep(30)"), ...options });
    const start = await runner.start(WAIT_MS, forever());
    assert.equal(start.ok, false);
    assert.equal(start.timedOut, false);
    return start;
  };

  test("a program that is not there", async (t) => {
    const start = await startOf(t, { command: ["/usr/bin/nope", "--flag"] });
    assert.equal(start.summary, `Cannot start "bot" as "/usr/bin/nope" was not found`);
    assert.match(start.cause ?? "", /ENOENT/);
  });

  test("a program that is not executable", async (t) => {
    const lab = labFor(t);
    const script = join(lab.dir, "not-executable.sh");
    writeFileSync(script, "#!/bin/sh\nsleep 30\n");
    chmodSync(script, 0o644);
    const start = await startOf(t, { command: [script] });
    assert.equal(start.summary, `Cannot start "bot" as "${script}" may not be run (permission denied)`);
  });

  test("a working directory that is not there", async (t) => {
    const start = await startOf(t, { cwd: "/nonexistent/lifeguard-dir" });
    assert.equal(start.summary, `Cannot start "bot" as its working directory "/nonexistent/lifeguard-dir" does not exist`);
  });

  test("a user that does not exist", async (t) => {
    const start = await startOf(t, { user: "lifeguard-no-such-user" });
    assert.equal(start.summary, `Cannot start "bot" as user "lifeguard-no-such-user" does not exist (not in /etc/passwd)`);
  });

  test("a program that exits at once gives its last output line as the cause", async (t) => {
    const start = await startOf(t, { command: python("import sys; sys.exit('cannot read config.yaml')"), settleMs: WAIT_MS });
    assert.equal(start.summary, `"bot" exited with code 1 right after its start`);
    assert.equal(start.cause, "cannot read config.yaml");
  });
});

test("a runner that never started is inactive, and stop and kill have nothing to do", async (t) => {
  const runner = labFor(t).runner({ name: "bot", command: python("pass") });
  const status = await runner.status(forever());
  assert.deepEqual({ ok: status.ok, state: status.state, summary: status.summary }, { ok: false, state: "inactive", summary: `"bot" is "inactive" (not started yet)` });
  assert.equal((await runner.stop(1000, forever())).summary, `"bot" was not running`);
  assert.equal((await runner.kill(1000, forever())).summary, `"bot" had no process left to kill: it was not started`);
});

test("a journal that cannot be written is told and never stops a start or a stop", async (t) => {
  const lab = labFor(t);
  const failures: string[] = [];
  const broken = () => {
    throw new Error("SQLITE_FULL: database or disk is full");
  };
  const runner = lab.runner({
    command: python("import time; time.sleep(30)"),
    journal: { recordRun: broken, forgetRun: broken, runsOf: broken },
    onJournalError: (error) => failures.push((error as Error).message),
  });
  const start = await runner.start(WAIT_MS, forever());
  assert.equal(start.ok, true, start.summary);
  const stop = await runner.stop(WAIT_MS, forever());
  assert.equal(stop.ok, true, stop.summary);
  // Read before the start, recorded before and after the spawn, forgotten once over.
  assert.deepEqual(failures, Array(4).fill("SQLITE_FULL: database or disk is full"));
});

test("a start stops what an earlier run in the journal left running, found by its token alone", async (t) => {
  const lab = labFor(t);
  const token = "00112233445566778899aabbccddeeff";
  // A process of a run recorded before its spawn (a Lifeguard killed right after it): no pid, only the token.
  const survivor = spawn(PYTHON, ["-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"], { detached: true, stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, LIFEGUARD_RUN_ID: token } });
  const gone = new Promise<void>((resolve) => survivor.once("exit", () => resolve()));
  t.after(() => void (survivor.exitCode === null && survivor.signalCode === null && survivor.kill("SIGKILL")));
  await new Promise((resolve) => survivor.stdout?.once("data", resolve)); // it ignores SIGTERM from here on
  const forgotten: string[] = [];
  const runner = lab.runner({
    command: python("import time; time.sleep(30)"),
    survivorStop: { stopTimeoutMs: 200, killWaitMs: WAIT_MS },
    journal: {
      recordRun: () => undefined,
      forgetRun: (gone) => void forgotten.push(gone),
      runsOf: () => [{ service: "bot", token, bootId: null, pid: null, startTime: null, startedAt: Date.now() - 60_000, ownerPid: 999_999_999, ownerStartTime: 1 }],
    },
  });
  const start = await runner.start(WAIT_MS, forever());
  assert.equal(start.ok, true, start.summary);
  assert.match(start.summary, new RegExp(`^Started "${runner.target}" \\(PID \\d+\\) after stopping the copy that a previous Lifeguard left running \\(up 1m; 1 process: PID ${survivor.pid}; SIGTERM, then SIGKILL after 200ms\\)$`));
  await gone;
  assert.equal(survivor.signalCode, "SIGKILL");
  assert.ok(forgotten.includes(token), "the survivor's record goes once it is over");
});
