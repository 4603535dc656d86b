import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requestDump } from "./request-dump.js";
import { waitFor } from "../testing/wait-for.js";

test("a bot that ignores the signal writes nothing: the dump says so once the bound is up, and the bot is untouched", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-dump-"));
  const bot = spawn("/usr/bin/python3", ["-c", "import signal, time\nsignal.signal(signal.SIGUSR1, signal.SIG_IGN)\nprint('ready', flush=True)\ntime.sleep(60)"], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => {
    bot.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  let said = "";
  bot.stdout.on("data", (data: Buffer) => (said += data.toString()));
  assert.ok(await waitFor(() => said.includes("ready"), { timeoutMs: 10_000, intervalMs: 20 }));
  const file = join(dir, "stacks.txt");
  assert.deepEqual(await requestDump(bot.pid as number, "SIGUSR1", file, 300), { file, problem: "nothing was written to it within 300 ms of SIGUSR1" });
  assert.equal(bot.exitCode, null, "the ignored signal ended nothing");
});

test("a process gone before the signal: the dump says it could not be sent", async () => {
  const file = join(tmpdir(), "lifeguard-no-such-dump.txt");
  assert.deepEqual(await requestDump(2 ** 22 + 12345, "SIGUSR1", file, 100), { file, problem: `cannot send SIGUSR1 to PID ${2 ** 22 + 12345}: ESRCH` });
});
