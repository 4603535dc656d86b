// The `connection` check and the pre-kill forensics under `lifeguard run` against real systemd
// units in the sandbox (its own network namespace: the brokers are units there too). A bot whose
// broker accepts and never reads, and whose two workers deadlocked while its main thread keeps
// going, is restarted for its stuck send queue; the forensics taken before the stop show both
// workers' waits and the unsent bytes. A bot whose broker answers is left alone.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { DEADLOCKED_PAIR, TALK_FOREVER } from "../src/testing/python-snippets.js";
import { lifeguard } from "./support/lab.js";
import { watchUnits } from "./support/watched-units.js";

const support = sandboxSupport();
const WAIT = { timeoutMs: 60_000, intervalMs: 200 };
/** Ports of the sandbox's own loopback: any is free there. */
const DEAF = 14_002;
const ECHO = 14_003;

/** A broker on `port` that accepts and never reads (`deaf`), or sends back what it gets. */
const broker = (port: number, deaf: boolean): string => `
import socket, threading
server = socket.create_server(("127.0.0.1", ${port}))
held = []
def serve(c):
    while True:
        data = c.recv(1 << 20)
        if not data: return
        c.sendall(data)
while True:
    c, _ = server.accept()
    held.append(c)
    if not ${deaf ? "True" : "False"}: threading.Thread(target=serve, args=(c,), daemon=True).start()
`;

/** Connects to `port` and sends and reads forever; with `deadlock`, two workers deadlocked beside it first. */
const bot = (port: number, deadlock: boolean): string => `
import socket, threading, time
while True:
    try:
        s = socket.create_connection(("127.0.0.1", ${port}))
        break
    except OSError: time.sleep(0.1)
s.setblocking(False)
${DEADLOCKED_PAIR}
if ${deadlock ? "True" : "False"}:
    for work in (one, two): threading.Thread(target=work, daemon=True).start()
${TALK_FOREVER}`;

describe("connection and forensics under lifeguard run and systemd", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  let logText: () => string = () => "";
  let config = "";

  before(async () => {
    sandbox = await startSandbox();
    const script = (name: string, text: string): string => {
      const path = join(sandbox.workdir, `${name}.py`);
      writeFileSync(path, text);
      return path;
    };
    for (const [name, port, deaf] of [["deaf", DEAF, true], ["echo", ECHO, false]] as const) {
      await sandbox.writeUnit(`${name}.service`, `[Service]\nExecStart=/usr/bin/python3 ${script(name, broker(port, deaf))}\n`);
    }
    await sandbox.daemonReload();
    for (const name of ["deaf", "echo"]) assert.equal((await sandbox.exec(["systemctl", "start", `${name}.service`])).exitCode, 0);
    const connection = (port: number) => ({ connection: { to: `127.0.0.1:${port}`, "stuck-for": "3s" } });
    logText = await watchUnits(sandbox, "connection", {
      stuck: { argv: ["/usr/bin/python3", script("stuck", bot(DEAF, true))], check: connection(DEAF) },
      healthy: { argv: ["/usr/bin/python3", script("healthy", bot(ECHO, false))], check: connection(ECHO) },
    });
    config = join(sandbox.workdir, "connection", "lifeguard.yaml");
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("a bot whose broker never reads is restarted for its stuck send queue, with both deadlocked workers and the unsent bytes captured before the stop", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] stuck: Restarting "stuck"/.test(logText()), WAIT), logText());
    assert.match(logText(), new RegExp(`Connection to 127\\.0\\.0\\.1:${DEAF} stuck for \\d+s: [\\d.]+[KM]iB unsent: the peer has acknowledged nothing since \\(stuck-for 3s\\)`));
    assert.ok(await waitFor(() => /\[RESTART\] stuck: "stuck" restarted/.test(logText()), WAIT), logText());
    const line = /stuck: Restart step forensics: (.*)/.exec(logText())?.[1] ?? "";
    assert.match(line, /2 threads in futex_\w+/, "the deadlocked pair, by the kernel's name of their wait");
    assert.match(line, new RegExp(`socket to 127\\.0\\.0\\.1:${DEAF} with [\\d.]+[KM]iB unsent`));
    const shown = await lifeguard(sandbox, ["history", "--json", "--service", "stuck", "-c", config]);
    assert.equal(shown.exitCode, 0, shown.stderr);
    const entries = (JSON.parse(shown.stdout) as { entries: Array<{ type: string; restart?: { steps: Array<{ step: string; evidence?: Record<string, unknown> }>; evidence: Array<{ check: string; evidence: { stuck?: { queue: string; bytes: number } } }> } }> }).entries;
    const restart = entries.find((entry) => entry.type === "restart")?.restart;
    assert.equal(restart?.steps[0]?.step, "forensics");
    const captured = restart?.steps[0]?.evidence as { processes: Array<{ threads: unknown[] }>; sockets: Array<{ remote: string; txQueue: number }> };
    assert.equal(captured.processes[0]?.threads.length, 3, "the main thread and both workers");
    assert.ok((captured.sockets.find((socket) => socket.remote === `127.0.0.1:${DEAF}`)?.txQueue ?? 0) > 0, JSON.stringify(captured.sockets));
    const stuck = restart?.evidence.find((observation) => observation.check === "connection")?.evidence.stuck;
    assert.equal(stuck?.queue, "send");
    assert.ok((stuck?.bytes ?? 0) > 0);
  });

  test("a bot whose broker answers is never restarted", async () => {
    assert.ok(await waitFor(() => /\[RESTART\] stuck: "stuck" restarted/.test(logText()), WAIT));
    assert.doesNotMatch(logText(), /\] healthy: /, "nothing was said of the healthy bot");
  });
});
