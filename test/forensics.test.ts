// Pre-kill forensics (issue 15): a supervised Python bot deadlocks while holding a connection to a
// loopback "broker" that never reads; its log goes stale and Lifeguard restarts it. Just before
// the stop it captures where each thread waits and the connection's unsent bytes, keeps them with
// the restart (`lifeguard history --json`) and says them in one line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand } from "../src/process/run-command.js";
import { startLoopbackServer } from "../src/testing/loopback-server.js";
import { DEADLOCKED_PAIR } from "../src/testing/python-snippets.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN } from "./support/lab.js";
import { botFiles, daemonConfig, daemonFiles, startDaemon } from "./support/daemon.js";

const WAIT = { timeoutMs: 30_000, intervalMs: 50 };
const linux = process.platform !== "linux" ? "needs /proc (Linux)" : false;

/** Logs for a second, then its two workers take two locks in opposite orders and the log stops; it keeps a socket full of unread bytes. */
function deadlockingBot(log: string, pidFile: string, port: number, dumpFile: string): string[] {
  const program = `
import faulthandler, json, os, signal, socket, threading, time
dump = open(${JSON.stringify(dumpFile)}, "a")
faulthandler.register(signal.SIGUSR1, file=dump, all_threads=True)
with open(${JSON.stringify(pidFile)}, "w") as f: json.dump({"pid": os.getpid(), "child": None}, f)
s = socket.create_connection(("127.0.0.1", ${port}))
s.setblocking(False)
for _ in range(64):
    try: s.send(b"x" * 65536)
    except BlockingIOError: break
${DEADLOCKED_PAIR}with open(${JSON.stringify(log)}, "a") as out:
    for i in range(10):
        out.write(f"tick {i}\\n"); out.flush(); time.sleep(0.1)
workers = [threading.Thread(target=one), threading.Thread(target=two)]
for w in workers: w.start()
for w in workers: w.join()
`;
  return ["/usr/bin/python3", "-c", program];
}

test("a deadlocked bot's restart keeps each thread's wait, the stuck connection and its stack dump, and says them in one line", { skip: linux }, async (t) => {
  const broker = await startLoopbackServer((socket) => socket.pause());
  t.after(() => broker.close());
  const { port } = broker;
  const files = daemonFiles("lifeguard-forensics-");
  const { log, pidFile, bot } = botFiles(files);
  const dumpFile = join(files.dir, "stacks.txt");
  const config = daemonConfig(files, {
    services: {
      bot: {
        command: deadlockingBot(log, pidFile, port, dumpFile),
        interval: "1s",
        checks: [{ "log-fresh": { path: log, "max-age": "2s" } }],
        "failure-threshold": 1,
        "startup-grace": "0s",
        restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1m", max: "1m" } },
        forensics: { exec: ["/bin/echo", "helper saw {pid}"], signal: "SIGUSR1", file: dumpFile },
      },
    },
  });
  const lifeguard = startDaemon(t, files, config, [bot]);
  assert.ok(await waitFor(() => /\[RESTART\] "bot" restarted/.test(lifeguard.log()), WAIT), lifeguard.log());

  // Said in the watchdog log before the stop, in one line.
  const line = /Restart step forensics: (.*)/.exec(lifeguard.log())?.[1] ?? "";
  assert.match(line, /^main thread in \w+; 2 threads in futex_\w+ /, "the deadlocked pair, by the kernel's name of their wait");
  assert.match(line, new RegExp(`socket to 127\\.0\\.0\\.1:${port} with [\\d.]+[KM]iB unsent`));
  assert.ok(lifeguard.log().indexOf("Restart step forensics") < lifeguard.log().indexOf("Restart step stop"), "captured before the stop");

  // Kept with the restart, in full.
  const history = await runCommand([process.execPath, BIN, "history", "--json", "-c", join(files.dir, "lifeguard.yaml")], { timeoutMs: 30_000 });
  assert.equal(history.exitCode, 0, history.stderr);
  const entries = (JSON.parse(history.stdout) as { entries: Array<{ type: string; restart?: { steps: Array<{ step: string; summary: string; evidence?: Record<string, unknown> }> } }> }).entries;
  const steps = entries.find((entry) => entry.type === "restart")?.restart?.steps ?? [];
  assert.deepEqual(steps.map((step) => step.step), ["forensics", "stop", "kill", "start", "verify"]);
  const evidence = steps[0]?.evidence as { processes: Array<{ threads: unknown[]; cpuSeconds: number | null }>; sockets: Array<{ remote: string; txQueue: number }>; helper: { output: string }; dump: { text?: string }; log: { source: string; lines: string[] } };
  assert.equal(evidence.processes[0]?.threads.length, 3, "the main thread and both workers");
  assert.equal(typeof evidence.processes[0]?.cpuSeconds, "number");
  assert.deepEqual(evidence.log, { source: log, lines: Array.from({ length: 10 }, (_, i) => `tick ${i}`) }, "the last lines of the log its check watches");
  assert.ok((evidence.sockets.find((socket) => socket.remote === `127.0.0.1:${port}`)?.txQueue ?? 0) > 0);
  assert.match(evidence.helper.output, /^helper saw \d+\n$/);
  assert.match(evidence.dump.text ?? "", /Thread 0x[0-9a-f]+[\s\S]*File "<string>", line \d+ in (one|two)/, "Python's own dump of every thread, with the deadlocked workers");
  // The text history says it too.
  const text = await runCommand([process.execPath, BIN, "history", "-c", join(files.dir, "lifeguard.yaml")], { timeoutMs: 30_000 });
  assert.match(text.stdout, /before the stop: main thread in /);

  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
});
