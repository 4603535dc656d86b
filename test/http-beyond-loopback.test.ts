// Bound beyond loopback (http.listen 0.0.0.0), strangers reach every view: then the read-only ones
// (/metrics, /api/status's overview, the status page) need the token too. The daemon runs in a
// network namespace of its own, whose only interface is its loopback: nothing is exposed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "./support/lab.js";

const TOKEN = "beyond-loopback-token-0123456789";
const PORT = 9481;
const asRoot = process.getuid?.() === 0;

test("on 0.0.0.0 the read-only views need the token; /healthz never does", { skip: asRoot ? false : "needs root for a network namespace of its own" }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-beyond-"));
  const log = join(dir, "watchdog.log");
  writeFileSync(join(dir, "lifeguard.yaml"), stringify({
    state: join(dir, "state"), log: { file: log }, http: { listen: `0.0.0.0:${PORT}`, token: TOKEN },
    services: { bot: { command: ["/bin/sleep", "100000"], interval: "1s" } },
  }));
  // Its own network namespace: `exec` keeps the pid, so the namespace is the daemon's.
  const daemon = spawn("unshare", ["--net", "sh", "-c", `ip link set lo up && exec ${process.execPath} ${BIN} run -c ${join(dir, "lifeguard.yaml")}`], { cwd: REPO, stdio: "ignore", detached: true });
  t.after(() => {
    if (daemon.exitCode === null) process.kill(-(daemon.pid as number), "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  assert.ok(await waitFor(() => existsSync(log) && readFileSync(log, "utf8").includes("Lifeguard started"), { timeoutMs: 30_000, intervalMs: 100 }));
  const get = (path: string, withToken = false): number => {
    const headers = withToken ? ["-H", `Authorization: Bearer ${TOKEN}`] : [];
    const curl = spawnSync("nsenter", ["-t", String(daemon.pid), "-n", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", ...headers, `http://127.0.0.1:${PORT}${path}`], { encoding: "utf8", timeout: 10_000 });
    return Number(curl.stdout);
  };
  assert.equal(get("/healthz"), 200);
  for (const path of ["/metrics", "/api/status"]) {
    assert.equal(get(path), 401, `${path} without the token`);
    assert.equal(get(path, true), 200, `${path} with the token`);
  }
  // The page asks a browser to sign in (its cookie), which test/status-page.test.ts drives.
  assert.equal(get("/"), 401);
  process.kill(daemon.pid as number, "SIGTERM");
  await new Promise((resolve) => daemon.once("exit", resolve));
});
