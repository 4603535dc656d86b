// The `connection` check (issue 15, item 4) against real supervised Python bots and loopback
// servers: a bot whose broker accepts and never reads is restarted once its send queue has not
// moved for `stuck-for`, with the queue sizes in the evidence; a bot that talks to a broker that
// answers is left alone; a bot with no connection at all is said to have none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand } from "../src/process/run-command.js";
import { startLoopbackServer } from "../src/testing/loopback-server.js";
import { TALK_FOREVER } from "../src/testing/python-snippets.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN } from "./support/lab.js";
import { daemonConfig, daemonFiles, startDaemon, trackBot } from "./support/daemon.js";

const WAIT = { timeoutMs: 40_000, intervalMs: 100 };
const linux = process.platform !== "linux" ? "needs /proc/net/tcp (Linux)" : false;

/** Connects to `port` (unless null), writes its pid file, then sends 64 KiB and reads what comes back, forever. */
function talkingBot(pidFile: string, port: number | null): string[] {
  const talk = port === null ? "while True: time.sleep(1)" : `s = socket.create_connection(("127.0.0.1", ${port}))\ns.setblocking(False)\n${TALK_FOREVER}`;
  const program = `
import json, os, socket, time
with open(${JSON.stringify(pidFile)}, "w") as f: json.dump({"pid": os.getpid(), "child": None}, f)
${talk}
`;
  return ["/usr/bin/python3", "-c", program];
}

test("a broker that never reads gets its bot restarted for a stuck send queue; one that answers does not; no connection is said", { skip: linux }, async (t) => {
  // A bot killed by a restart resets its connection: the loopback server takes that as no error.
  const deaf = await startLoopbackServer((socket) => socket.pause());
  const echo = await startLoopbackServer((socket) => socket.pipe(socket));
  t.after(() => Promise.all([deaf.close(), echo.close()]).then(() => undefined));
  const files = daemonFiles("lifeguard-connection-");
  const pidOf = (name: string): string => join(files.dir, `${name}.pid`);
  const bots = ["stuck", "healthy", "lonely"].map((name) => trackBot(pidOf(name)));
  const service = (name: string, port: number | null, check: Record<string, unknown>) => ({
    command: talkingBot(pidOf(name), port),
    interval: "1s",
    checks: [{ connection: check }],
    "failure-threshold": 1,
    "startup-grace": "0s",
    restart: { "stop-timeout": "2s", "kill-wait": "2s", "verify-timeout": "5s", backoff: { initial: "1m", max: "1m" } },
  });
  const config = daemonConfig(files, {
    services: {
      stuck: service("stuck", deaf.port, { to: `127.0.0.1:${deaf.port}`, "stuck-for": "3s" }),
      healthy: service("healthy", echo.port, { to: `127.0.0.1:${echo.port}`, "stuck-for": "3s" }),
      lonely: service("lonely", null, { to: `127.0.0.1:${echo.port}`, "alert-only": true }),
    },
  });
  const lifeguard = startDaemon(t, files, config, bots);
  assert.ok(await waitFor(() => /\[RESTART\] stuck: "stuck" restarted/.test(lifeguard.log()), WAIT), lifeguard.log());
  assert.match(lifeguard.log(), new RegExp(`Connection to 127\\.0\\.0\\.1:${deaf.port} stuck for \\d+s: [\\d.]+[KM]iB unsent: the peer has acknowledged nothing since \\(stuck-for 3s\\)`));
  assert.match(lifeguard.log(), new RegExp(`No ESTABLISHED connection from "lonely" to 127\\.0\\.0\\.1:${echo.port} \\(none open\\)`));
  // The healthy bot was judged as often as the stuck one, and never failed.
  assert.doesNotMatch(lifeguard.log(), /\[(FAIL|RESTART|WARN)\] healthy:/);

  const history = await runCommand([process.execPath, BIN, "history", "--json", "--service", "stuck", "-c", join(files.dir, "lifeguard.yaml")], { timeoutMs: 30_000 });
  const restart = (JSON.parse(history.stdout) as { entries: Array<{ type: string; restart?: { evidence: Array<{ check: string; evidence: { stuck?: { queue: string; bytes: number; samples: number[] } } }> } }> }).entries.find((entry) => entry.type === "restart")?.restart;
  const stuck = restart?.evidence.find((observation) => observation.check === "connection")?.evidence.stuck;
  assert.equal(stuck?.queue, "send");
  assert.ok((stuck?.bytes ?? 0) > 0 && (stuck?.samples.length ?? 0) >= 3, JSON.stringify(stuck));

  process.kill(lifeguard.pid, "SIGTERM");
  assert.equal(await lifeguard.exited, 0);
});
