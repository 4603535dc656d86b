import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { parseKernelStack, parseThreadStat, readThreadStates } from "./thread-states.js";
import { waitFor } from "../testing/wait-for.js";

const linux = process.platform !== "linux" ? "needs /proc (Linux)" : false;
const root = process.getuid?.() !== 0 ? "reading kernel stacks needs root" : false;

test("parseThreadStat reads a name with spaces and parentheses, the state and user + system ticks", () => {
  const line = "4242 (py (worker) 2) S 1 4242 4242 0 -1 4194560 500 0 0 0 17 5 0 0 20 0 3 0 123456 1000000 2000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
  assert.deepEqual(parseThreadStat(line), { name: "py (worker) 2", state: "S", cpuTicks: 22 });
  assert.equal(parseThreadStat("garbage"), null);
});

test("parseKernelStack keeps the function names, and an empty or unreadable stack is null", () => {
  assert.deepEqual(parseKernelStack("[<0>] futex_wait_queue+0x6c/0xa0\n[<0>] do_syscall_64+0x71/0x290\n"), ["futex_wait_queue", "do_syscall_64"]);
  assert.equal(parseKernelStack(""), null);
  assert.equal(parseKernelStack(null), null);
});

test("a Python bot whose worker thread waits on a lock the main thread holds: both threads, the worker asleep in a futex", { skip: linux }, async (t) => {
  // The main thread takes the lock and sleeps; the worker blocks on it: a deadlock's half.
  const program = "import threading, time\nlock = threading.Lock()\nlock.acquire()\nthreading.Thread(target=lock.acquire, name='worker').start()\nprint('ready', flush=True)\ntime.sleep(60)\n";
  const bot = spawn("/usr/bin/python3", ["-c", program], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => bot.kill("SIGKILL"));
  let said = "";
  bot.stdout.on("data", (data: Buffer) => (said += data.toString()));
  assert.ok(await waitFor(() => said.includes("ready"), { timeoutMs: 10_000, intervalMs: 20 }));
  const pid = bot.pid as number;
  let threads = readThreadStates(pid, { maxThreads: 64, stacks: root === false });
  // The worker may take a moment to reach the lock.
  await waitFor(() => (threads = readThreadStates(pid, { maxThreads: 64, stacks: root === false }))?.filter((thread) => /futex/.test(thread.wchan ?? "")).length === 2, { timeoutMs: 5000, intervalMs: 20 });
  assert.equal(threads?.length, 2);
  const main = threads?.find((thread) => thread.tid === pid);
  const worker = threads?.find((thread) => thread.tid !== pid);
  assert.equal(worker?.state, "S");
  assert.match(worker?.wchan ?? "", /futex/, "the worker sleeps on the lock");
  assert.ok(main !== undefined && main.wchan !== null, "the main thread sleeps too");
  assert.equal(readThreadStates(pid, { maxThreads: 1, stacks: false })?.length, 1, "bounded by maxThreads");
});

test("as root, the kernel stack of a sleeping thread names its wait", { skip: linux || root }, async (t) => {
  const sleeper = spawn("/bin/sleep", ["60"], { stdio: "ignore" });
  t.after(() => sleeper.kill("SIGKILL"));
  const pid = sleeper.pid as number;
  let threads = readThreadStates(pid, { maxThreads: 4, stacks: true });
  await waitFor(() => (threads = readThreadStates(pid, { maxThreads: 4, stacks: true }))?.[0]?.state === "S", { timeoutMs: 5000, intervalMs: 20 });
  assert.ok(threads?.[0]?.stack?.some((frame) => /nanosleep/.test(frame)), JSON.stringify(threads));
});

test("a process that is not there reads as null", () => {
  assert.equal(readThreadStates(2 ** 22 + 12345, { maxThreads: 4, stacks: false }), null);
});
