import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { captureForensics } from "./forensics.js";
import { readThreadStates } from "./thread-states.js";
import { startLoopbackServer } from "../testing/loopback-server.js";
import { waitFor } from "../testing/wait-for.js";

const linux = process.platform !== "linux" ? "needs /proc (Linux)" : false;

/** A loopback "broker" that accepts and never reads. */
async function deafServer(t: { after(fn: () => Promise<void>): void }): Promise<number> {
  const server = await startLoopbackServer((socket) => socket.pause());
  t.after(() => server.close());
  return server.port;
}

/** A Python bot: two threads deadlocked on two locks, a heartbeat thread, and a connection it keeps writing to. */
function deadlockedBot(t: { after(fn: () => void): void }, port: number): ChildProcess {
  const program = [
    "import socket, threading, time",
    "a, b = threading.Lock(), threading.Lock()",
    "def one():\n    with a:\n        time.sleep(0.2)\n        with b: pass",
    "def two():\n    with b:\n        time.sleep(0.2)\n        with a: pass",
    "def beat():\n    while True: time.sleep(0.1)",
    "s = socket.create_connection(('127.0.0.1', " + String(port) + "))",
    "s.setblocking(False)",
    "for _ in range(64):\n    try: s.send(b'x' * 65536)\n    except BlockingIOError: break",
    "for target, name in ((one, 'trader'), (two, 'feed'), (beat, 'heartbeat')): threading.Thread(target=target, name=name, daemon=True).start()",
    "print('ready', flush=True)",
    "time.sleep(60)",
  ].join("\n");
  const bot = spawn("/usr/bin/python3", ["-c", program], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => bot.kill("SIGKILL"));
  return bot;
}

test("a deadlocked bot with a hung connection: every thread's wait, the socket's unsent bytes, one line that says both", { skip: linux }, async (t) => {
  const port = await deafServer(t);
  const bot = deadlockedBot(t, port);
  let said = "";
  bot.stdout?.on("data", (data: Buffer) => (said += data.toString()));
  assert.ok(await waitFor(() => said.includes("ready"), { timeoutMs: 10_000, intervalMs: 20 }));
  const pid = bot.pid as number;
  // Both workers blocked on the other's lock: three threads asleep in a futex (main sleeps in time.sleep).
  assert.ok(await waitFor(() => (readThreadStates(pid, { maxThreads: 16, stacks: false }) ?? []).filter((thread) => /futex/.test(thread.wchan ?? "")).length === 2, { timeoutMs: 5000, intervalMs: 20 }));

  const captured = await captureForensics([pid], ["/bin/echo", "dump of {pid}"]);
  assert.equal(captured.processes.length, 1);
  assert.equal(captured.processes[0]?.threads.length, 4, "main, trader, feed, heartbeat");
  assert.ok((captured.processes[0]?.rssBytes ?? 0) > 1024 * 1024);
  assert.ok((captured.processes[0]?.cpuSeconds ?? -1) >= 0);
  const socket = captured.sockets.find((s) => s.remote === `127.0.0.1:${port}`);
  assert.equal(socket?.state, "ESTABLISHED");
  assert.ok((socket?.txQueue ?? 0) > 0, "bytes the server never read wait unsent");
  assert.match(captured.summary, /2 threads in futex_\w+ /, "the deadlocked pair, by the wait the kernel names (futex_wait_queue, futex_do_wait...)");
  assert.match(captured.summary, new RegExp(`socket to 127\\.0\\.0\\.1:${port} with [\\d.]+[KM]iB unsent`));
  assert.deepEqual(captured.helper && { argv: captured.helper.argv, exitCode: captured.helper.exitCode, output: captured.helper.output }, { argv: ["/bin/echo", `dump of ${pid}`], exitCode: 0, output: `dump of ${pid}\n` });
  assert.equal(captured.cut, false);
});

test("a helper that hangs is ended within the budget; one that cannot start says why; the size cap drops detail, not the summary", { skip: linux }, async (t) => {
  const sleeper = spawn("/bin/sleep", ["60"], { stdio: "ignore" });
  t.after(() => sleeper.kill("SIGKILL"));
  const pid = sleeper.pid as number;
  const hung = await captureForensics([pid], ["/bin/sleep", "30"], { budgetMs: 300, maxBytes: 64 * 1024, maxProcesses: 4, maxThreads: 8 });
  assert.equal(hung.helper?.timedOut, true);
  const missing = await captureForensics([pid], ["/nonexistent/py-spy", "dump", "--pid", "{pid}"]);
  assert.equal(missing.helper?.output, "cannot start /nonexistent/py-spy: ENOENT");
  const small = await captureForensics([pid], ["/bin/sh", "-c", "head -c 20000 /dev/zero | tr '\\0' x"], { budgetMs: 2000, maxBytes: 2048, maxProcesses: 4, maxThreads: 8 });
  assert.equal(small.cut, true);
  assert.ok(Buffer.byteLength(JSON.stringify(small)) < 2048 + 1024, "close to the cap");
  assert.match(small.summary, /^main thread in /);
});

test("a process gone before the capture leaves nothing but a summary that says so", async () => {
  const captured = await captureForensics([2 ** 22 + 12345], null);
  assert.deepEqual({ processes: captured.processes, sockets: captured.sockets, helper: captured.helper, summary: captured.summary }, { processes: [], sockets: [], helper: null, summary: "nothing could be read of its processes" });
});
