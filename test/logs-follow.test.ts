// `lifeguard logs -f`, as a user runs it (the built CLI) against real files, real rotation and a
// real bot: new lines as they are written, across every kind of rotation, until it is stopped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createOutputLog } from "../src/runners/process/output-log.js";
import { runCommand } from "../src/process/run-command.js";
import { logBotArgv } from "../src/testing/bots.js";
import { LOGROTATE_SKIP, rotateWithLogrotate } from "../src/testing/logrotate.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN } from "./support/lab.js";
import { logsWorkspace } from "./support/logs-lab.js";

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, index) => `line ${from + index}`);
/** After a pipeline, its first command's exit code, on stderr. */
const FIRST_STATUS = 'echo "lifeguard exited ${PIPESTATUS[0]}" >&2';
const outputService = { bot: { command: ["python3", "bot.py"], output: { file: "bot.out" } } };

test("logs -f follows a command's output across Lifeguard's size rotation, no line lost or repeated, until SIGTERM", async (t) => {
  const lab = logsWorkspace(t, outputService);
  const output = createOutputLog({ file: lab.path("bot.out"), maxBytes: 1024, keep: 2 }, (error) => assert.fail(String(error)));
  const write = (from: number, to: number): void => numbered(from, to).forEach((line) => output.write(Buffer.from(`${line}\n`)));
  write(1, 10);
  const follower = lab.follow(["bot", "-n", "3"]);
  assert.ok(await follower.hasLines(3), follower.stderr());
  write(11, 150); // about 1.2 KiB: two rotations while it follows
  assert.ok(await follower.hasLines(143), `${follower.lines.length} lines; ${follower.stderr()}`);
  assert.deepEqual(follower.lines, numbered(8, 150));
  process.kill(follower.pid, "SIGTERM");
  assert.deepEqual(await follower.exited, { code: 0, signal: null });
  assert.match(follower.stderr(), /^(lifeguard: Output file ".*bot\.out" was rotated \(a new file took its name\): following the new file from its start\n)+$/);
});

test("logs -f shows a line written in pieces once it is complete, and stops on SIGINT with exit 0", async (t) => {
  const lab = logsWorkspace(t, outputService);
  writeFileSync(lab.path("bot.out"), "first\nsecond\nhalf");
  const follower = lab.follow(["bot", "-n", "1"]);
  assert.ok(await follower.hasLines(1));
  appendFileSync(lab.path("bot.out"), " a line\nnext\n");
  assert.ok(await follower.hasLines(3));
  assert.deepEqual(follower.lines, ["second", "half a line", "next"]);
  process.kill(follower.pid, "SIGINT");
  assert.deepEqual(await follower.exited, { code: 0, signal: null });
  assert.equal(follower.stderr(), "");
});

test("logs -f waits for a file that does not exist yet and follows it once created", async (t) => {
  const lab = logsWorkspace(t, outputService);
  const follower = lab.follow(["bot"]);
  const path = lab.path("bot.out");
  assert.ok(await waitFor(() => follower.stderr().includes("waiting")), follower.stderr());
  writeFileSync(path, "hello\n");
  assert.ok(await follower.hasLines(1));
  assert.deepEqual(follower.lines, ["hello"]);
  assert.equal(follower.stderr(), `lifeguard: Output file "${path}" does not exist (yet): waiting for it\nlifeguard: Output file "${path}" appeared: following it from its start\n`);
});

test("logs -f of the log a bot writes follows logrotate's create and copytruncate, losing only what the truncation took", { skip: LOGROTATE_SKIP }, async (t) => {
  const lab = logsWorkspace(t, { trader: { systemd: "gemini-trader", checks: [{ "log-fresh": { path: "gemini_trader.log", "max-age": "5m" } }] } });
  const log = lab.path("gemini_trader.log");
  const [python, ...args] = logBotArgv(log, { everyMs: 20, reopen: true });
  const bot = spawn(python as string, args, { stdio: "ignore" });
  t.after(() => void (bot.exitCode === null && bot.signalCode === null && bot.kill("SIGKILL")));
  assert.ok(await waitFor(() => existsSync(log) && readFileSync(log, "utf8").split("\n").length > 5));
  const follower = lab.follow(["trader", "-n", "100000"]);
  for (const mode of ["create", "copytruncate"] as const) {
    const seen = follower.lines.length;
    assert.ok(await follower.hasLines(seen + 10), follower.stderr());
    await rotateWithLogrotate(log, mode, { rotate: 2 });
  }
  assert.ok(await follower.hasLines(follower.lines.length + 10), follower.stderr());
  bot.kill("SIGTERM");
  await once(bot, "exit");
  assert.ok(await waitFor(() => follower.lines.at(-1)?.endsWith("INFO Stopping on SIGTERM") === true), follower.lines.slice(-3).join("\n"));
  process.kill(follower.pid, "SIGTERM");
  assert.equal((await follower.exited).code, 0);
  // Everything the files hold was shown, once each, in order; lines the copytruncate itself lost
  // (written between its copy and its truncation) are in no file, and may or may not be shown.
  const written = [`${log}.2`, `${log}.1`, log].flatMap((file) => readFileSync(file, "utf8").split("\n").filter((line) => line !== ""));
  const shown = new Set(follower.lines);
  assert.equal(shown.size, follower.lines.length, "no line shown twice");
  assert.deepEqual(written.filter((line) => !shown.has(line)), [], "no line of the files missed");
  const order = follower.lines.map((line) => Number(/Update (\d+)/.exec(line)?.[1] ?? Number.POSITIVE_INFINITY));
  assert.deepEqual(order, [...order].sort((a, b) => a - b), "in the order written");
  // Which truncation notice depends on whether unread lines were left when logrotate truncated
  // (then read from its copy) or none were: either is true, and no line of the files was missed above.
  assert.match(follower.stderr(), /was rotated \(a new file took its name\)[^\n]*\n.*was truncated: (its lines not read before were read from its copy|following it from its start)/s);
});

test("logs -f | head -3 ends with exit 0 once head has its lines, though the log stays quiet", async (t) => {
  const lab = logsWorkspace(t, outputService);
  writeFileSync(lab.path("bot.out"), `${numbered(1, 10).join("\n")}\n`);
  const pipeline = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} logs bot -f -n 5 -c ${JSON.stringify(lab.config)} | head -3; ${FIRST_STATUS}`;
  const result = await runCommand(["bash", "-c", pipeline], { timeoutMs: 20_000, cwd: lab.dir });
  assert.equal(result.timedOut, false, "it ended by itself");
  assert.equal(result.stdout, `${numbered(6, 8).join("\n")}\n`);
  assert.equal(result.stderr, "lifeguard exited 0\n", "no stack trace");
});

test("logs | head -3 of a long tail ends on EPIPE with exit 0 and no stack trace", async (t) => {
  const lab = logsWorkspace(t, outputService);
  writeFileSync(lab.path("bot.out"), `${numbered(1, 100_000).join("\n")}\n`);
  const pipeline = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} logs bot -n 100000 -c ${JSON.stringify(lab.config)} | head -3; ${FIRST_STATUS}`;
  const result = await runCommand(["bash", "-c", pipeline], { timeoutMs: 30_000, cwd: lab.dir });
  assert.equal(result.timedOut, false);
  assert.equal(result.stdout, `${numbered(1, 3).join("\n")}\n`);
  assert.equal(result.stderr, "lifeguard exited 0\n");
});
