import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecCheckConfig } from "../config/types.js";
import { isProcessAlive } from "../process/proc-stat.js";
import { systemClock } from "../process/system-clock.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { waitFor } from "../testing/wait-for.js";
import { createCheck } from "./registry.js";

let dir = "";
before(async () => void (dir = await mkdtemp(join(tmpdir(), "lifeguard-exec-"))));
after(() => rm(dir, { recursive: true, force: true }));

function observe(command: string[], options: Partial<ExecCheckConfig> = {}) {
  const config: ExecCheckConfig = { kind: "exec", id: "exec", timeoutMs: 5000, alertOnly: false, command, exitCode: 0, cwd: null, env: {}, ...options };
  return createCheck(config, { clock: systemClock, runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats }).run(new AbortController().signal);
}

/** Dead, a zombie included (it waits only for its reaper). */
const gone = (pid: number): boolean => !isProcessAlive(pid, null);

test("exec passes for a command that exits with 0", async () => {
  const observation = await observe(["/bin/sh", "-c", "echo fine"]);
  assert.equal(observation.ok, true);
  assert.equal(observation.summary, 'Command "/bin/sh -c "echo fine"" exited with 0');
  assert.deepEqual(Object.keys(observation.evidence), ["command", "exitCode", "expected", "durationMs"]);
});

test("exec fails for another exit status, keeping its output and its last line as the cause", async () => {
  const observation = await observe(["/bin/sh", "-c", "echo checking; echo 'broker not logged in' >&2; exit 3"]);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, `Command "/bin/sh -c "echo checking; echo 'broker not logged in' >&2; exit 3"" exited with 3 (expected 0)`);
  assert.equal(observation.evidence.exitCode, 3);
  assert.equal(observation.evidence.stdout, "checking\n");
  assert.equal(observation.evidence.stderr, "broker not logged in\n");
  assert.equal(observation.cause, "broker not logged in");
});

test("exec passes for the exit status the config expects", async () => {
  assert.equal((await observe(["/bin/sh", "-c", "exit 3"], { exitCode: 3 })).ok, true);
  assert.equal((await observe(["/bin/true"], { exitCode: 3 })).summary, 'Command "/bin/true" exited with 0 (expected 3)');
});

test("exec says clearly when the program cannot be started", async () => {
  const observation = await observe(["/usr/bin/no-such-program", "--flag"]);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, 'Cannot start "/usr/bin/no-such-program": it was not found (ENOENT)');
  assert.equal(observation.evidence.error, "ENOENT");
  const directory = await observe([dir]);
  assert.match(directory.summary, new RegExp(`^Cannot start "${dir}": it is not executable or its directory cannot be entered \\(EACCES\\)$`));
});

test("exec names a missing working directory as a possible cause", async () => {
  const missing = join(dir, "nowhere");
  const observation = await observe(["/bin/true"], { cwd: missing });
  assert.equal(observation.summary, `Cannot start "/bin/true": it was not found (or its working directory "${missing}" does not exist) (ENOENT)`);
});

test("exec runs in its working directory with its variables added to the environment", async () => {
  const observation = await observe(["/bin/sh", "-c", 'echo "$GREETING from $(pwd)"; exit 1'], { cwd: dir, env: { GREETING: "hello" } });
  assert.equal(observation.evidence.stdout, `hello from ${dir}\n`);
});

test("exec ends a command that hangs at its timeout, with everything it started, even what ignores SIGTERM", async () => {
  const pidFile = join(dir, "hang.pid");
  const script = `trap '' TERM; sleep 30 & echo $! > ${pidFile}; wait; wait`;
  const observation = await observe(["/bin/sh", "-c", script], { timeoutMs: 300 });
  assert.equal(observation.ok, false);
  assert.equal(observation.timedOut, true);
  assert.match(observation.summary, /^Command "\/bin\/sh -c .*" did not finish within 300ms; it is ended with its process group$/);
  const shell = observation.evidence.pid;
  assert.equal(typeof shell, "number");
  const sleeper = Number(await readFile(pidFile, "utf8"));
  assert.ok(await waitFor(() => gone(shell as number) && gone(sleeper), { timeoutMs: 10_000 }), `pids ${String(shell)} and ${sleeper} are gone`);
});

test("exec keeps the last 4 KiB of a command that prints a lot", async () => {
  const observation = await observe(["/bin/sh", "-c", "yes 'a line of output' | head -c 1000000; echo; echo 'the error at the end' >&2; echo END; exit 1"]);
  assert.equal(observation.ok, false);
  const stdout = String(observation.evidence.stdout);
  assert.ok(stdout.length <= 4096, `${stdout.length} characters kept`);
  assert.ok(stdout.endsWith("\nEND\n"));
  assert.equal(observation.evidence.stderr, "the error at the end\n");
  assert.equal(observation.evidence.outputCut, true);
});

test("exec gets the service's environment too, the check's own variables winning on a clash", async () => {
  const config: ExecCheckConfig = { kind: "exec", id: "exec", timeoutMs: 5000, alertOnly: false, command: ["/bin/sh", "-c", 'echo "$MODE $BROKER"; exit 1'], exitCode: 0, cwd: null, env: { MODE: "check" } };
  const deps = { clock: systemClock, runner: unusedRunner, serviceName: "bot", heartbeats: unusedHeartbeats, serviceEnv: { MODE: "service", BROKER: "127.0.0.1:4002" } };
  const observation = await createCheck(config, deps).run(new AbortController().signal);
  assert.equal(observation.evidence.stdout, "check 127.0.0.1:4002\n");
});
