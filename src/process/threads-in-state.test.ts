import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { PYTHON, statesBotArgv } from "../testing/bots.js";
import { waitFor } from "../testing/wait-for.js";
import { parseThreadInState, readThreadsInState, type ThreadInState } from "./threads-in-state.js";

const linux = process.platform !== "linux" ? "needs /proc (Linux)" : false;

test("parseThreadInState reads the tid, start time and name of a thread in the state asked for, from a recorded /proc stat line", () => {
  // A thread of a Python bot blocked in vfork(), as /proc/PID/task/TID/stat showed it.
  const line = "25512 (stuck (io) 1) D 24931 25469 24931 0 -1 4194368 57 0 0 0 0 0 0 0 20 0 2 0 4883421 16732160 2373 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 -1 1 0 0 0 0 0";
  assert.deepEqual(parseThreadInState(line, "D"), { tid: 25512, startTime: 4883421, name: "stuck (io) 1" });
  assert.equal(parseThreadInState(line, "S"), null, "not in that state");
  assert.equal(parseThreadInState("garbage", "D"), null);
});

test("a Python bot's thread blocked in vfork() is in D, waiting in the kernel; its main thread is not", { skip: linux }, async (t) => {
  const [python, ...args] = statesBotArgv("stuck-in-d");
  // Its own process group: the vfork child, which never execs, is killed with it.
  const bot = spawn(python ?? PYTHON, args, { stdio: ["ignore", "pipe", "inherit"], detached: true });
  t.after(() => process.kill(-(bot.pid as number), "SIGKILL"));
  const pid = bot.pid as number;
  let found: ThreadInState[] = [];
  assert.ok(await waitFor(() => (found = readThreadsInState(pid, "D")).length > 0, { timeoutMs: 10_000, intervalMs: 20 }), "a thread in D");
  assert.equal(found.length, 1);
  assert.equal(found[0]?.name, "python3", "a Python thread's name is the program's unless it set one");
  assert.notEqual(found[0]?.tid, pid, "the main thread keeps running");
  assert.ok((found[0]?.startTime ?? 0) > 0);
  assert.match(found[0]?.wchan ?? "", /clone|vfork/, "it waits for its vfork child in the kernel");
  assert.deepEqual(readThreadsInState(2 ** 22 + 12345, "D"), [], "a process that is gone has none");
});
