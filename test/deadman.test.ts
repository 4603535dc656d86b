// The outbound dead-man's switch of `lifeguard run`: a local monitor hears from the real daemon
// every interval, and hears nothing more once the daemon is told to stop.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { readProcStat } from "../src/process/proc-stat.js";
import { waitFor } from "../src/testing/wait-for.js";
import { BIN, REPO } from "./support/lab.js";

const WAIT = { timeoutMs: 20_000, intervalMs: 50 };
/** A service that ignores SIGTERM, so Lifeguard's shutdown lasts its stop-timeout: time in which a switch left running would be heard. */
const STUBBORN = "import os, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)";

test("lifeguard run pings the dead-man's switch every interval, shows only its origin, and stops pinging on SIGTERM", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-deadman-"));
  const watchdogLog = join(dir, "watchdog.log");
  const pidFile = join(dir, "service.pid");
  const config = join(dir, "lifeguard.yaml");
  const requests: string[] = [];
  let heardAtStop: number | undefined;
  // The monitor tells Lifeguard to stop right after its third request: the next one is an interval away.
  const monitor = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.end("OK");
    if (requests.length === 3) {
      heardAtStop = requests.length;
      process.kill(lifeguard.pid as number, "SIGTERM");
    }
  });
  await new Promise<void>((resolve) => monitor.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(monitor.address() as AddressInfo).port}`;
  writeFileSync(config, stringify({
    state: join(dir, "state"),
    log: { file: watchdogLog },
    http: { listen: "127.0.0.1:0" },
    deadman: { url: "${DEADMAN_URL}", interval: "1s", timeout: "2s" },
    services: {
      stubborn: {
        command: ["/usr/bin/python3", "-c", STUBBORN, pidFile],
        interval: "30s",
        restart: { "stop-timeout": "2s", "kill-wait": "1s" },
      },
    },
  }));
  const lifeguard = spawn(process.execPath, [BIN, "run", "-c", config], {
    cwd: REPO, detached: true, stdio: "ignore", env: { ...process.env, DEADMAN_URL: `${origin}/ping/abc` },
  });
  const exited = new Promise<number | null>((resolve) => lifeguard.once("exit", (code) => resolve(code)));
  let service: { pid: number; startTime: number } | null = null;
  const rememberService = () => {
    if (service !== null || !existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, "utf8"));
    const stat = pid > 0 ? readProcStat(pid) : null;
    if (stat !== null) service = { pid, startTime: stat.startTime };
  };
  t.after(async () => {
    if (lifeguard.exitCode === null && lifeguard.signalCode === null) process.kill(-(lifeguard.pid as number), "SIGKILL");
    rememberService();
    if (service !== null && readProcStat(service.pid)?.startTime === service.startTime) process.kill(service.pid, "SIGKILL");
    monitor.closeAllConnections();
    await new Promise((resolve) => monitor.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  const text = () => (existsSync(watchdogLog) ? readFileSync(watchdogLog, "utf8") : "");

  assert.ok(await waitFor(() => (rememberService(), heardAtStop !== undefined), WAIT), `three requests: ${requests.join(", ")}\n${text()}`);
  assert.ok(service !== null, "the supervised service started");
  const environ = readFileSync(`/proc/${(service as { pid: number }).pid}/environ`, "utf8");
  assert.ok(!environ.includes("DEADMAN_URL=") && !environ.includes("/ping/abc"), "the supervised service does not inherit the switch's URL");
  assert.ok(await waitFor(() => lifeguard.exitCode !== null || lifeguard.signalCode !== null, WAIT), `Lifeguard exits: ${text()}`);
  assert.equal(await exited, 0, text());
  assert.equal(requests.length, heardAtStop, "no request after SIGTERM, though shutting the stubborn service down took its stop-timeout");
  assert.deepEqual(requests, ["GET /ping/abc", "GET /ping/abc", "GET /ping/abc"]);

  const log = text();
  assert.match(log, new RegExp(`\\] Dead-man's switch reaches "${origin}": one request every 1s while Lifeguard is healthy`));
  assert.match(log, /Lifeguard stopped/);
  assert.ok(!log.includes("/ping") && !log.includes("abc"), `the log shows the URL's path:\n${log}`);
});
