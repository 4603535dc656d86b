import { test } from "node:test";
import assert from "node:assert/strict";
import { isProcessAlive } from "./proc-stat.js";
import { formatCommand, runCommand } from "./run-command.js";
import { waitFor } from "../testing/wait-for.js";
import { fileURLToPath } from "node:url";

const node = process.execPath;
/** A node one-liner as argv: the fixtures are real processes, never a mocked child_process. */
const script = (code: string): string[] => [node, "-e", code];
const IGNORE_TERM = "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);";

const isDead = (pid: number): boolean => !isProcessAlive(pid, null);

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

test("runCommand reports a successful command", async () => {
  const result = await runCommand(["true"], { timeoutMs: 10_000 });
  assert.equal(result.ok, true);
  assert.equal(result.exitCode, 0);
  assert.equal(result.signal, null);
  assert.equal(result.timedOut, false);
  assert.equal(result.summary, `Command "true" succeeded`);
  assert.equal(result.cause, undefined);
});

test("runCommand reports a failing exit code with the last stderr line as cause", async () => {
  const failing = await runCommand(["false"], { timeoutMs: 10_000 });
  assert.equal(failing.ok, false);
  assert.equal(failing.exitCode, 1);
  assert.equal(failing.summary, `Command "false" failed with exit code 1`);

  const noisy = await runCommand(script("console.log('out'); console.error('first\\nUnit x.service not loaded.\\n'); process.exit(5)"), { timeoutMs: 10_000 });
  assert.equal(noisy.exitCode, 5);
  assert.equal(noisy.stdout, "out\n");
  assert.equal(noisy.cause, "Unit x.service not loaded.");
});

test("runCommand resolves a missing executable to a clear failed result", async () => {
  const result = await runCommand(["/nonexistent/lifeguard-tool", "--flag"], { timeoutMs: 10_000 });
  assert.equal(result.ok, false);
  assert.equal(result.errorCode, "ENOENT");
  assert.equal(result.exitCode, null);
  assert.equal(result.summary, `Cannot run "/nonexistent/lifeguard-tool --flag" as it was not found`);
  assert.match(result.cause ?? "", /ENOENT/);
});

test("runCommand terminates a command that outlives its timeout with SIGTERM", async () => {
  const result = await runCommand(["sleep", "30"], { timeoutMs: 200 });
  assert.equal(result.ok, false);
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, "SIGTERM");
  assert.equal(result.summary, `Command "sleep 30" did not finish within 200ms`);
});

test("runCommand escalates to SIGKILL when the command ignores SIGTERM", async () => {
  const result = await runCommand(script(IGNORE_TERM), { timeoutMs: 1000, killGraceMs: 300 });
  assert.equal(result.stdout, "ready\n", "the handler was installed before the timeout");
  assert.equal(result.timedOut, true);
  assert.equal(result.signal, "SIGKILL");
  assert.equal(result.evidence.sent, "SIGKILL");
});

test("runCommand kills the whole process group, so helpers do not outlive a timeout", async () => {
  // The child prints its own child's pid, then both wait; the grandchild ignores SIGTERM.
  const code = `const c = require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(IGNORE_TERM)}], { stdio: 'ignore' });
    console.log(c.pid); setInterval(() => {}, 1000);`;
  const result = await runCommand(script(code), { timeoutMs: 1000, killGraceMs: 300 });
  const grandchild = Number(result.stdout.trim());
  try {
    assert.equal(result.timedOut, true);
    assert.ok(grandchild > 0);
    // SIGKILL was sent when the child exited; dying takes the kernel a moment.
    assert.ok(await waitFor(() => isDead(grandchild)), `grandchild ${grandchild} is dead`);
  } finally {
    if (grandchild > 0 && !isDead(grandchild)) killIfAlive(grandchild);
  }
});

test("runCommand does not wait for a background helper that keeps the output pipe open", async () => {
  const code = `const c = require('child_process').spawn('sleep', ['30'], { stdio: 'inherit', detached: true });
    console.log(c.pid); c.unref();`;
  const result = await runCommand(script(code), { timeoutMs: 20_000 });
  const helper = Number(result.stdout.trim());
  try {
    assert.equal(result.ok, true);
    assert.equal(result.timedOut, false);
    assert.ok(helper > 0 && !isDead(helper), "the helper is still running: it was not ours to kill");
  } finally {
    if (helper > 0) killIfAlive(helper);
  }
});

test("runCommand terminates on abort and reports it as cancelled", async () => {
  const controller = new AbortController();
  const running = runCommand(["sleep", "30"], { timeoutMs: 60_000, signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  const result = await running;
  assert.equal(result.aborted, true);
  assert.equal(result.timedOut, false);
  assert.equal(result.ok, false);
  assert.equal(result.summary, `Command "sleep 30" was cancelled`);

  const before = await runCommand(["sleep", "30"], { timeoutMs: 60_000, signal: AbortSignal.abort() });
  assert.equal(before.aborted, true);
  assert.equal(before.exitCode, null, "an already aborted signal starts nothing");
});

test("runCommand keeps a bounded amount of output and drains the rest", async () => {
  const result = await runCommand(["head", "-c", "1000000", "/dev/zero"], { timeoutMs: 20_000, maxOutputBytes: 4096 });
  assert.equal(result.ok, true, "the child was never blocked on a full pipe");
  assert.equal(result.stdout.length, 4096);
  assert.equal(result.truncated, true);

  const defaults = await runCommand(script("process.stdout.write('x'.repeat(200000)); process.stderr.write('y'.repeat(10))"), { timeoutMs: 20_000 });
  assert.equal(defaults.stdout.length, 64 * 1024);
  assert.equal(defaults.stderr, "yyyyyyyyyy");
});

test("runCommand keeps the tail of the output when asked, cut at a whole character", async () => {
  const code = "process.stdout.write('é'.repeat(100000) + 'the end')";
  const result = await runCommand(script(code), { timeoutMs: 20_000, maxOutputBytes: 100, keepOutput: "tail" });
  assert.equal(result.truncated, true);
  assert.ok(result.stdout.endsWith("the end"));
  assert.equal(result.stdout, `${"é".repeat(46)}the end`, "93 bytes of é's: 46 whole ones, the half one dropped");
  const short = await runCommand(script("process.stdout.write('short')"), { timeoutMs: 20_000, maxOutputBytes: 100, keepOutput: "tail" });
  assert.deepEqual([short.stdout, short.truncated], ["short", false]);
});

test("runCommand passes input, working directory and environment", async () => {
  const cat = await runCommand(["cat"], { timeoutMs: 10_000, input: "hello\n" });
  assert.equal(cat.stdout, "hello\n");
  const pwd = await runCommand(["pwd"], { timeoutMs: 10_000, cwd: "/" });
  assert.equal(pwd.stdout, "/\n");
  const env = await runCommand(script("console.log(process.env.LIFEGUARD_PROBE)"), { timeoutMs: 10_000, env: { LIFEGUARD_PROBE: "a b" } });
  assert.equal(env.stdout, "a b\n");
});

test("formatCommand quotes arguments that need it and stays short", () => {
  assert.equal(formatCommand(["systemctl", "stop", "--", "my bot.service"]), `systemctl stop -- "my bot.service"`);
  assert.equal(formatCommand(["echo", "x".repeat(200)]).length, 120);
});

test("runCommand with passOutput lets the command write to this process's own stdout and stderr", async () => {
  const modulePath = fileURLToPath(new URL("./run-command.ts", import.meta.url));
  // A process of its own runs it, so that what the command writes lands in that process's output.
  const parent = `
    const { runCommand } = await import(${JSON.stringify(modulePath)});
    const result = await runCommand([process.execPath, "-e", "console.log('to stdout'); console.error('to stderr'); process.exit(3)"], { timeoutMs: 10_000, passOutput: true });
    console.log(JSON.stringify({ exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }));
  `;
  const result = await runCommand([node, "--import", "tsx", "--input-type=module", "--eval", parent], { timeoutMs: 30_000, cwd: fileURLToPath(new URL("../..", import.meta.url)) });
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stderr, "to stderr\n");
  assert.equal(result.stdout, `to stdout\n${JSON.stringify({ exitCode: 3, stdout: "", stderr: "" })}\n`);
});
