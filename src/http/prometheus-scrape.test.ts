import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { initialState } from "../core/state.js";
import { waitFor } from "../testing/wait-for.js";
import { createHandler } from "./handler.js";
import { createMetrics, type MetricsSnapshot } from "./metrics.js";
import { startHttpServer } from "./server.js";

const PROMETHEUS = "/usr/bin/prometheus";
const TOKEN = "scrape-test-token";
const WAIT_MS = 60_000;
const STOP_WAIT_MS = 10_000;
const KEEP_OUTPUT_CHARS = 4000;

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

/** A free loopback port: bound, read, released (Prometheus cannot report a port it picked). */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, "close");
  return port;
}

/** Debian's Prometheus scraping `target` every second, with its own config and storage; stopped by PID after the test. */
async function startPrometheus(t: TestContext, target: string): Promise<{ url: string; output: () => string; child: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), "lifeguard-prometheus-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = [
    "global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }",
    "scrape_configs:",
    "  - job_name: lifeguard",
    `    authorization: { type: Bearer, credentials: ${JSON.stringify(TOKEN)} }`,
    `    static_configs: [{ targets: [${JSON.stringify(target)}] }]`,
  ].join("\n");
  writeFileSync(join(dir, "prometheus.yml"), `${config}\n`);
  const listen = `127.0.0.1:${await freePort()}`;
  const child = spawn(
    PROMETHEUS,
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=${listen}`, "--log.level=warn"],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString("utf8")).slice(-KEEP_OUTPUT_CHARS));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  t.after(() => stop(child));
  return { url: `http://${listen}`, output: () => output, child };
}

/** SIGTERM to the PID we started, SIGKILL if it is still there after a bound. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_WAIT_MS);
  await exited;
  clearTimeout(timer);
}

async function query(prometheus: string, expression: string): Promise<Series[]> {
  try {
    const response = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expression)}`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return [];
    const body = (await response.json()) as { data?: { result?: Series[] } };
    return body.data?.result ?? [];
  } catch {
    return [];
  }
}

const byService = (series: Series[]) => Object.fromEntries(series.map((s) => [s.metric.service, s.value[1]]));

test("a real Prometheus scrapes /metrics with the token and stores every service's series", { skip: existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is missing (Debian package "prometheus")`, timeout: 120_000 }, async (t) => {
  const now = Date.now();
  const snapshot = (): MetricsSnapshot => ({
    at: Date.now(),
    services: [
      {
        service: "trader",
        state: initialState(),
        limit: { max: 3, perMs: 3_600_000 },
        observations: [
          { check: "running", ok: true, summary: "active", evidence: {}, durationMs: 20, timedOut: false, at: now, alertOnly: false },
          { check: "log-fresh", ok: true, summary: "fresh", evidence: { ageMs: 45_000 }, durationMs: 1, timedOut: false, at: now, alertOnly: false },
        ],
      },
      {
        service: "backup",
        state: { ...initialState(), health: { kind: "gave-up", since: now, reason: "running" }, restarts: [now - 1000, now - 500, now] },
        limit: { max: 3, perMs: 3_600_000 },
        observations: [{ check: "running", ok: false, summary: "inactive", evidence: {}, durationMs: 20, timedOut: false, at: now, alertOnly: false }],
      },
    ],
  });
  const metrics = createMetrics({ version: "0.1.0", snapshot });
  metrics.countEvents("backup", [1, 2, 3].map((at) => ({ kind: "restart", at, message: "", data: {} })));
  const handler = createHandler({
    token: TOKEN,
    protectReads: true,
    healthy: () => ({ ok: true, summary: "ok" }),
    status: () => [],
    overview: () => [],
    channels: () => [],
    history: () => [],
    metrics: () => metrics.render(),
    ping: () => ({ status: "unknown-service" }),
    now: Date.now,
  });
  const server = await startHttpServer({ listen: { host: "127.0.0.1", port: 0 }, handler });
  t.after(() => server.close());

  const prometheus = await startPrometheus(t, `127.0.0.1:${server.address.port}`);
  let up: Series[] = [];
  const scraped = await waitFor(
    async () => {
      if (prometheus.child.exitCode !== null) return true;
      up = await query(prometheus.url, "lifeguard_service_up");
      return up.length === 2;
    },
    { timeoutMs: WAIT_MS, intervalMs: 250 },
  );
  assert.equal(prometheus.child.exitCode, null, `Prometheus exited:\n${prometheus.output()}`);
  assert.ok(scraped, `Prometheus stored no lifeguard_service_up series in ${WAIT_MS} ms; its output:\n${prometheus.output()}`);
  assert.deepEqual(byService(up), { trader: "1", backup: "0" });
  assert.deepEqual(up.map((s) => [s.metric.job, s.metric.instance]), [["lifeguard", `127.0.0.1:${server.address.port}`], ["lifeguard", `127.0.0.1:${server.address.port}`]]);

  // The same scrape carried the rest: Prometheus accepted the whole exposition.
  assert.deepEqual(byService(await query(prometheus.url, "lifeguard_service_gave_up")), { trader: "0", backup: "1" });
  assert.deepEqual(byService(await query(prometheus.url, "lifeguard_restarts_total")), { trader: "0", backup: "3" });
  assert.deepEqual(byService(await query(prometheus.url, 'lifeguard_log_age_seconds{check="log-fresh"}')), { trader: "45" });
  assert.equal((await query(prometheus.url, "lifeguard_process_resident_memory_bytes")).length, 1);
  assert.deepEqual((await query(prometheus.url, 'up{job="lifeguard"}')).map((s) => s.value[1]), ["1"]);
});
