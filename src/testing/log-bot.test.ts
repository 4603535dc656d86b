import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessAlive, readProcStat } from "../process/proc-stat.js";
import { runCommand } from "../process/run-command.js";
import { logBotArgv, readBotPids, type LogBotOptions } from "./bots.js";
import { waitFor } from "./wait-for.js";

const LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} INFO VIX \d+\.\d Position ok Update \d+$/;
const lines = (log: string): string[] => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((line) => line !== "") : []);

/** A fresh directory (0777, so an unprivileged bot can write), removed after the test. */
function scratch(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-bot-"));
  chmodSync(dir, 0o777);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts the bot in a process group of its own; when the test ends, whatever happened, SIGKILL
 * to that group ends the bot and the child it forked (which inherits the group).
 */
function startBot(t: TestContext, log: string, options: LogBotOptions, prefix: string[] = []): { bot: ChildProcess; exited: Promise<number | null> } {
  const [program, ...args] = [...prefix, ...logBotArgv(log, options)];
  const bot = spawn(program as string, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const exited = new Promise<number | null>((resolve) => bot.once("exit", (code) => resolve(code)));
  t.after(async () => {
    try {
      process.kill(-(bot.pid as number), "SIGKILL");
    } catch {
      // the whole group is gone
    }
    await exited;
    bot.stderr?.destroy();
  });
  return { bot, exited };
}

test("log bot writes the seed's line format and stops on SIGTERM with a last line", async (t) => {
  const log = join(scratch(t), "bot.log");
  const { bot, exited } = startBot(t, log, { everyMs: 20 });
  assert.ok(await waitFor(() => lines(log).length >= 3));
  for (const line of lines(log)) assert.match(line, LINE);
  bot.kill("SIGTERM");
  assert.equal(await exited, 0);
  assert.match(lines(log).at(-1) ?? "", /INFO Stopping on SIGTERM$/);
});

test("log bot crashes after N lines with a Traceback line", async (t) => {
  const log = join(scratch(t), "bot.log");
  const result = await runCommand(logBotArgv(log, { everyMs: 10, crashAfter: 2 }), { timeoutMs: 20_000 });
  assert.equal(result.exitCode, 1);
  assert.equal(lines(log).length, 3);
  assert.match(lines(log)[2] ?? "", /ERROR Traceback \(most recent call last\)/);
});

test("log bot hangs after N lines: alive, silent", async (t) => {
  const dir = scratch(t);
  const log = join(dir, "bot.log");
  const { bot } = startBot(t, log, { everyMs: 10, hangAfter: 2 });
  assert.ok(await waitFor(() => lines(log).length === 2));
  await new Promise((resolve) => setTimeout(resolve, 200)); // twenty intervals: proving silence takes some time
  assert.equal(lines(log).length, 2);
  assert.ok(isProcessAlive(bot.pid as number, null));
});

test("log bot ignoring SIGTERM survives it, and its child survives the bot", async (t) => {
  const dir = scratch(t);
  const log = join(dir, "bot.log");
  const pidFile = join(dir, "bot.pid");
  const { bot, exited } = startBot(t, log, { everyMs: 20, ignoreTerm: true, child: true, pidFile });
  const pids = await readBotPids(pidFile);
  assert.equal(pids.pid, bot.pid);
  assert.ok(pids.child !== null && isProcessAlive(pids.child, null));
  bot.kill("SIGTERM");
  const seen = lines(log).length;
  assert.ok(await waitFor(() => lines(log).length > seen + 2), "still logging after SIGTERM");
  bot.kill("SIGKILL");
  await exited;
  assert.ok(isProcessAlive(pids.child, null), "the child outlives the bot");
});

test("log bot with --reopen stops writing when its log is made unwritable", { skip: process.getuid?.() === 0 ? false : "needs root to run the bot as nobody" }, async (t) => {
  const log = join(scratch(t), "bot.log");
  const { bot } = startBot(t, log, { everyMs: 20, reopen: true }, ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]);
  let stderr = "";
  bot.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  assert.ok(await waitFor(() => lines(log).length >= 2), "the bot writes as nobody");
  chmodSync(log, 0o000);
  assert.ok(await waitFor(() => stderr.includes("cannot write")), "the bot reports the failed write");
  const frozen = lines(log).length;
  assert.ok(await waitFor(() => (stderr.match(/cannot write/g) ?? []).length >= 3), "and keeps running");
  assert.equal(lines(log).length, frozen);
});

test("log bot's --orphans helpers lose their parent at once, leave its session, and end on SIGTERM", async (t) => {
  const dir = scratch(t);
  const log = join(dir, "bot.log");
  const pidFile = join(dir, "bot.pid");
  const { bot } = startBot(t, log, { everyMs: 20, orphans: 2, pidFile });
  const { orphans = [] } = await readBotPids(pidFile);
  // In their own sessions: the group kill of startBot's cleanup does not reach them.
  t.after(() => {
    for (const pid of orphans) if (isProcessAlive(pid, null)) process.kill(pid, "SIGKILL");
  });
  assert.equal(orphans.length, 2);
  for (const pid of orphans) {
    const stat = readProcStat(pid);
    assert.ok(stat !== null && stat.state !== "Z", `orphan ${pid} runs`);
    assert.notEqual(stat.ppid, bot.pid, "its parent is not the bot: the middle process exited");
    assert.notEqual(stat.pgrp, bot.pid, "it left the bot's session and group");
  }
  for (const pid of orphans) process.kill(pid, "SIGTERM");
  assert.ok(await waitFor(() => orphans.every((pid) => !isProcessAlive(pid, null))), "each ends on SIGTERM");
});
