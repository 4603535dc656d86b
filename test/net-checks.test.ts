// The http check end to end: `lifeguard check` against real systemd in the sandbox, a web server
// of the sandbox's answering 503; the evidence lands in `history --json`, the header's secret nowhere.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sandboxSupport, startSandbox, type Sandbox } from "../src/testing/systemd-sandbox.js";
import { waitFor } from "../src/testing/wait-for.js";
import { installBot, lifeguard, writeConfig } from "./support/lab.js";

const support = sandboxSupport();
const TOKEN = "health-s3cret-0123456789";
/** The sandbox has a network namespace of its own: any port is free there. */
const PORT = 18_080;

const SERVER = `
import http.server
class Down(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("maintenance: database unreachable; you sent " + str(self.headers.get("Authorization")) + "\\n").encode()
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", ${PORT}), Down).serve_forever()
`;

interface RestartEntry {
  type: "restart";
  restart: { reason: string; evidence: Array<{ check: string; ok: boolean; summary: string; evidence: Record<string, unknown> }> };
}

describe("the http check through lifeguard check", { skip: support.ok ? false : support.reason }, () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox?.stop();
  });

  test("a service whose health URL answers 503 is restarted, with the status and body in its history and the header's secret nowhere", async () => {
    const bot = await installBot(sandbox, "web");
    const script = join(bot.dir, "down.py");
    writeFileSync(script, SERVER);
    await sandbox.writeUnit("down.service", `[Service]\nExecStart=/usr/bin/python3 ${script}\n`);
    await sandbox.daemonReload();
    assert.equal((await sandbox.exec(["systemctl", "start", "down.service"])).exitCode, 0);
    const probe = ["/usr/bin/python3", "-c", `import socket; socket.create_connection(("127.0.0.1", ${PORT}), 1)`];
    assert.ok(await waitFor(async () => (await sandbox.exec(probe)).ok, { timeoutMs: 15_000, intervalMs: 100 }), "the web server listens");

    const url = `http://127.0.0.1:${PORT}/health`;
    const config = writeConfig(bot, {
      checks: [{ http: { url, headers: { Authorization: `Bearer ${TOKEN}` }, timeout: "2s" } }],
      "failure-threshold": 1,
      "startup-grace": "30s",
      restart: { "stop-timeout": "2s", "kill-wait": "1s", "verify-timeout": "2s" },
    });
    const checked = await lifeguard(sandbox, ["check", "-c", config]);
    const said = checked.stdout + checked.stderr;
    assert.equal(checked.exitCode, 1, said);
    assert.match(said, new RegExp(`\\[FAIL\\] GET ${url} answered 503 in \\d+ms \\(expected 200-399\\)`));
    assert.ok(!said.includes(TOKEN), said);

    const shown = await lifeguard(sandbox, ["history", "--json", "-c", config]);
    assert.equal(shown.exitCode, 0, shown.stderr);
    assert.ok(!shown.stdout.includes(TOKEN), "the header's value is in no history entry");
    const restart = (JSON.parse(shown.stdout) as { entries: Array<RestartEntry | { type: string }> }).entries.find((entry): entry is RestartEntry => entry.type === "restart");
    const http = restart?.restart.evidence.find((observation) => observation.check === "http");
    assert.equal(http?.ok, false);
    assert.equal(http?.evidence.status, 503);
    assert.equal(http?.evidence.expected, "200-399");
    assert.equal(typeof http?.evidence.responseMs, "number");
    assert.equal(http?.evidence.bodyStart, "maintenance: database unreachable; you sent [secret]\n");
  });
});
