import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { TcpCheckConfig } from "../config/types.js";
import { systemClock } from "../process/system-clock.js";
import { closedPort } from "../testing/http-receiver.js";
import { startLoopbackServer, type LoopbackServer } from "../testing/loopback-server.js";
import { unusedHeartbeats } from "../testing/unused-heartbeats.js";
import { unusedRunner } from "../testing/unused-runner.js";
import { waitFor } from "../testing/wait-for.js";
import { createCheck } from "./registry.js";

const servers: LoopbackServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

function observe(port: number, options: Partial<TcpCheckConfig> = {}) {
  const config: TcpCheckConfig = { kind: "tcp", id: "tcp", timeoutMs: 2000, alertOnly: false, host: "127.0.0.1", port, ...options };
  return createCheck(config, { clock: systemClock, runner: unusedRunner, serviceName: "broker", heartbeats: unusedHeartbeats }).run(new AbortController().signal);
}

test("tcp passes when the port accepts, says how long the connect took, and closes the connection", async () => {
  const server = await startLoopbackServer((socket) => socket.resume());
  servers.push(server);
  const observation = await observe(server.port);
  assert.equal(observation.ok, true);
  assert.match(observation.summary, new RegExp(`^Connected to 127\\.0\\.0\\.1:${server.port} in \\d+ms$`));
  assert.deepEqual(Object.keys(observation.evidence), ["host", "port", "connectMs"]);
  assert.ok(await waitFor(() => server.accepted === 1 && server.open() === 0, { timeoutMs: 5000 }), "the connection is closed after the connect");
});

test("tcp fails for a closed port with the reason in words", async () => {
  const port = await closedPort();
  const observation = await observe(port);
  assert.equal(observation.ok, false);
  assert.equal(observation.summary, `Cannot connect to 127.0.0.1:${port}: the connection was refused (ECONNREFUSED)`);
  assert.equal(observation.evidence.error, "ECONNREFUSED");
});

test("tcp times out on a port whose listen queue is full, within its timeout", async (t) => {
  // A listener that never accepts, its queue filled: the kernel drops further SYNs, so a connect hangs.
  const listener = spawn("/usr/bin/python3", ["-c", [
    "import socket, sys, time",
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)",
    "port = s.getsockname()[1]; fill = []",
    "for _ in range(3):",
    "    c = socket.socket(); c.setblocking(False); c.connect_ex(('127.0.0.1', port)); fill.append(c)",
    "time.sleep(0.2); print(port, flush=True); time.sleep(60)",
  ].join("\n")], { stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => void listener.kill("SIGKILL"));
  const [line] = (await once(createInterface({ input: listener.stdout }), "line")) as [string];
  const port = Number(line);
  const observation = await observe(port, { timeoutMs: 300 });
  assert.equal(observation.ok, false);
  assert.equal(observation.timedOut, true);
  assert.equal(observation.summary, `Cannot connect to 127.0.0.1:${port} within 300ms`);
  assert.deepEqual(observation.evidence, { host: "127.0.0.1", port, timeoutMs: 300 });
});
