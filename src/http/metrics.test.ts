import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { register as globalRegistry } from "prom-client";
import type { Observation } from "../core/outcome.js";
import type { ServiceEvent } from "../core/policy.js";
import { initialState, type Health, type ServiceState } from "../core/state.js";
import { createMetrics, type ServiceSnapshot } from "./metrics.js";

const PROMTOOL = "/usr/bin/promtool";
const NOW = Date.UTC(2024, 10, 30, 21, 0, 0);
const HOUR = 3_600_000;

function observation(check: string, ok: boolean, extra: Partial<Observation> = {}): Observation {
  return { check, ok, summary: ok ? "ok" : "failed", evidence: {}, durationMs: 12, timedOut: false, at: NOW - 1000, alertOnly: false, ...extra };
}

function service(name: string, health: Health, observations: Observation[], state: Partial<ServiceState> = {}): ServiceSnapshot {
  return { service: name, state: { ...initialState(), health, ...state }, limit: { max: 3, perMs: HOUR }, observations };
}

const restartEvent = (at: number): ServiceEvent => ({ kind: "restart", at, message: 'Restarting "trader"', data: {} });

/** The samples of `text` (`name{labels}` → value), without Lifeguard's process metrics. */
function samples(text: string): Map<string, number> {
  const lines = text.split("\n").filter((line) => line !== "" && !line.startsWith("#") && !/^lifeguard_(process|nodejs)_/.test(line));
  return new Map(lines.map((line) => [line.slice(0, line.lastIndexOf(" ")), Number(line.slice(line.lastIndexOf(" ") + 1))]));
}

function fleet(): ServiceSnapshot[] {
  return [
    service("trader", { kind: "healthy" }, [
      observation("running", true, { durationMs: 25 }),
      observation("log-fresh", true, { durationMs: 1.5, evidence: { ageMs: 45_000, maxAgeMs: 300_000 } }),
      observation("log-activity", true),
      observation("heartbeat", true, { evidence: { ageMs: 12_000, maxAgeMs: 120_000 } }),
      observation("memory", true, { evidence: { rssBytes: 125_829_120, processes: 2 } }),
      observation("cpu", true, { evidence: { cpuSeconds: 81.25, threads: 7, fds: 23, processes: 2 } }),
    ]),
    service("backup", { kind: "gave-up", since: NOW - HOUR / 2, reason: "running" }, [observation("running", false), observation("log-fresh#2", false, { evidence: { ageMs: 372_500 } })], {
      restarts: [NOW - 2 * HOUR, NOW - 50 * 60_000, NOW - 20 * 60_000, NOW - 60_000],
    }),
  ];
}

test("each service's state, checks and restarts are derived from the snapshot", async () => {
  const metrics = createMetrics({ version: "0.1.0", snapshot: () => ({ at: NOW, services: fleet() }), processMetrics: false });
  metrics.countEvents("backup", [restartEvent(NOW - 60_000), { ...restartEvent(NOW), kind: "gave-up" }]);
  const text = await metrics.render();
  assert.deepEqual(
    [...samples(text)],
    [
      ['lifeguard_build_info{version="0.1.0"}', 1],
      ['lifeguard_service_up{service="trader"}', 1],
      ['lifeguard_service_up{service="backup"}', 0],
      ['lifeguard_service_healthy{service="trader"}', 1],
      ['lifeguard_service_healthy{service="backup"}', 0],
      ['lifeguard_service_gave_up{service="trader"}', 0],
      ['lifeguard_service_gave_up{service="backup"}', 1],
      ['lifeguard_service_state{service="trader",state="healthy"}', 1],
      ['lifeguard_service_state{service="trader",state="failing"}', 0],
      ['lifeguard_service_state{service="trader",state="restarting"}', 0],
      ['lifeguard_service_state{service="trader",state="gave-up"}', 0],
      ['lifeguard_service_state{service="backup",state="healthy"}', 0],
      ['lifeguard_service_state{service="backup",state="failing"}', 0],
      ['lifeguard_service_state{service="backup",state="restarting"}', 0],
      ['lifeguard_service_state{service="backup",state="gave-up"}', 1],
      ['lifeguard_restarts_in_window{service="trader"}', 0],
      ['lifeguard_restarts_in_window{service="backup"}', 3],
      ['lifeguard_restart_limit_max{service="trader"}', 3],
      ['lifeguard_restart_limit_max{service="backup"}', 3],
      ['lifeguard_check_ok{service="trader",check="running"}', 1],
      ['lifeguard_check_ok{service="trader",check="log-fresh"}', 1],
      ['lifeguard_check_ok{service="trader",check="log-activity"}', 1],
      ['lifeguard_check_ok{service="trader",check="heartbeat"}', 1],
      ['lifeguard_check_ok{service="trader",check="memory"}', 1],
      ['lifeguard_check_ok{service="trader",check="cpu"}', 1],
      ['lifeguard_check_ok{service="backup",check="running"}', 0],
      ['lifeguard_check_ok{service="backup",check="log-fresh#2"}', 0],
      ['lifeguard_check_duration_seconds{service="trader",check="running"}', 0.025],
      ['lifeguard_check_duration_seconds{service="trader",check="log-fresh"}', 0.0015],
      ['lifeguard_check_duration_seconds{service="trader",check="log-activity"}', 0.012],
      ['lifeguard_check_duration_seconds{service="trader",check="heartbeat"}', 0.012],
      ['lifeguard_check_duration_seconds{service="trader",check="memory"}', 0.012],
      ['lifeguard_check_duration_seconds{service="trader",check="cpu"}', 0.012],
      ['lifeguard_check_duration_seconds{service="backup",check="running"}', 0.012],
      ['lifeguard_check_duration_seconds{service="backup",check="log-fresh#2"}', 0.012],
      ['lifeguard_check_timestamp_seconds{service="trader",check="running"}', (NOW - 1000) / 1000],
      ['lifeguard_check_timestamp_seconds{service="trader",check="log-fresh"}', (NOW - 1000) / 1000],
      ['lifeguard_check_timestamp_seconds{service="trader",check="log-activity"}', (NOW - 1000) / 1000],
      ['lifeguard_check_timestamp_seconds{service="trader",check="heartbeat"}', (NOW - 1000) / 1000],
      ['lifeguard_check_timestamp_seconds{service="trader",check="memory"}', (NOW - 1000) / 1000],
      ['lifeguard_check_timestamp_seconds{service="trader",check="cpu"}', (NOW - 1000) / 1000],
      ['lifeguard_check_timestamp_seconds{service="backup",check="running"}', (NOW - 1000) / 1000],
      ['lifeguard_check_timestamp_seconds{service="backup",check="log-fresh#2"}', (NOW - 1000) / 1000],
      ['lifeguard_log_age_seconds{service="trader",check="log-fresh"}', 45],
      ['lifeguard_log_age_seconds{service="backup",check="log-fresh#2"}', 372.5],
      ['lifeguard_heartbeat_age_seconds{service="trader",check="heartbeat"}', 12],
      ['lifeguard_service_memory_bytes{service="trader",check="memory",measure="rss"}', 125_829_120],
      ['lifeguard_service_cpu_seconds{service="trader",check="cpu"}', 81.25],
      ['lifeguard_service_threads{service="trader",check="cpu"}', 7],
      ['lifeguard_service_open_fds{service="trader",check="cpu"}', 23],
      ['lifeguard_restarts_total{service="trader"}', 0],
      ['lifeguard_restarts_total{service="backup"}', 1],
    ],
  );
  assert.match(text, /^# HELP lifeguard_restarts_total Restart attempts Lifeguard decided since it started\.$/m);
  assert.match(text, /^# TYPE lifeguard_restarts_total counter$/m);
  assert.match(text, /^# TYPE lifeguard_service_up gauge$/m);
});

test("a failing alert-only check shows in check_ok but leaves the service healthy", async () => {
  const snapshot = [service("trader", { kind: "healthy" }, [observation("running", true), observation("log-activity", false, { alertOnly: true })])];
  const text = await createMetrics({ version: "0", snapshot: () => ({ at: NOW, services: snapshot }), processMetrics: false }).render();
  const values = samples(text);
  assert.equal(values.get('lifeguard_service_healthy{service="trader"}'), 1);
  assert.equal(values.get('lifeguard_check_ok{service="trader",check="log-activity"}'), 0);
});

test("before its first round a service has a state but no up, healthy or check samples", async () => {
  const snapshot = [service("trader", { kind: "healthy" }, [])];
  const values = samples(await createMetrics({ version: "0", snapshot: () => ({ at: NOW, services: snapshot }), processMetrics: false }).render());
  assert.equal(values.get('lifeguard_service_state{service="trader",state="healthy"}'), 1);
  assert.equal(values.get('lifeguard_restarts_total{service="trader"}'), 0);
  assert.ok(![...values.keys()].some((key) => /^lifeguard_(service_up|service_healthy|check_|log_age)/.test(key)));
});

test("log age comes from log-fresh checks only, heartbeat age from heartbeat checks only", async () => {
  const snapshot = [service("trader", { kind: "healthy" }, [
    observation("heartbeat", true, { evidence: { ageMs: 1000 } }),
    observation("log-fresh", true, { evidence: { ageMs: "soon" } }),
    observation("log-activity", true, { evidence: { ageMs: 5000 } }),
  ])];
  const values = samples(await createMetrics({ version: "0", snapshot: () => ({ at: NOW, services: snapshot }), processMetrics: false }).render());
  assert.deepEqual([...values.keys()].filter((key) => /^lifeguard_(log|heartbeat)_age_seconds/.test(key)), ['lifeguard_heartbeat_age_seconds{service="trader",check="heartbeat"}']);
});

test("http status comes from the answer of http checks only, and is absent without an answer", async () => {
  const snapshot = [service("api", { kind: "healthy" }, [
    observation("http", false, { evidence: { status: 503, responseMs: 12 } }),
    observation("http#2", false, { evidence: { error: "ECONNREFUSED" } }),
    observation("exec", false, { evidence: { status: 3 } }),
  ])];
  const values = samples(await createMetrics({ version: "0", snapshot: () => ({ at: NOW, services: snapshot }), processMetrics: false }).render());
  assert.deepEqual([...values.entries()].filter(([key]) => key.startsWith("lifeguard_http_status")), [['lifeguard_http_status{service="api",check="http"}', 503]]);
});

test("a service that leaves the snapshot leaves the output, its restart counter too", async () => {
  let services = fleet();
  const metrics = createMetrics({ version: "0", snapshot: () => ({ at: NOW, services }), processMetrics: false });
  metrics.countEvents("backup", [restartEvent(NOW)]);
  metrics.countEvents("backup", [restartEvent(NOW), restartEvent(NOW)]);
  assert.equal(samples(await metrics.render()).get('lifeguard_restarts_total{service="backup"}'), 3);
  services = services.filter((entry) => entry.service === "trader");
  const keys = [...samples(await metrics.render()).keys()];
  assert.ok(keys.length > 0 && keys.every((key) => !key.includes('"backup"')), keys.join("\n"));
});

const CHANNELS = [
  { channel: "phone", pending: 0, oldestPendingAt: null, failures: 0, retryAt: null, lastOkAt: NOW - 60_000, lastError: null, lastErrorAt: null },
  { channel: "mail", pending: 3, oldestPendingAt: NOW - HOUR, failures: 2, retryAt: NOW + 60_000, lastOkAt: null, lastError: "Cannot connect", lastErrorAt: NOW - 1000 },
];

test("each alert channel's pending alerts, failures and last success are derived from the snapshot", async () => {
  const values = samples(await createMetrics({ version: "0", snapshot: () => ({ at: NOW, services: [], channels: CHANNELS }), processMetrics: false }).render());
  assert.deepEqual([...values].filter(([key]) => key.startsWith("lifeguard_alert")), [
    ['lifeguard_alerts_pending{channel="phone"}', 0],
    ['lifeguard_alerts_pending{channel="mail"}', 3],
    ['lifeguard_alert_channel_failures{channel="phone"}', 0],
    ['lifeguard_alert_channel_failures{channel="mail"}', 2],
    ['lifeguard_alert_channel_last_success_timestamp_seconds{channel="phone"}', (NOW - 60_000) / 1000],
  ]);
});

test("each Lifeguard has its own registry: prom-client's global one stays empty", async () => {
  const metrics = createMetrics({ version: "0", snapshot: () => ({ at: NOW, services: fleet() }) });
  await metrics.render();
  assert.notEqual(await metrics.registry(), globalRegistry);
  assert.equal(globalRegistry.getMetricsAsArray().length, 0);
});

test("Lifeguard's own process metrics are there, prefixed lifeguard_", async () => {
  const text = await createMetrics({ version: "0", snapshot: () => ({ at: NOW, services: [] }) }).render();
  for (const name of ["lifeguard_process_cpu_seconds_total", "lifeguard_process_resident_memory_bytes", "lifeguard_process_start_time_seconds", "lifeguard_nodejs_eventloop_lag_seconds"]) {
    assert.match(text, new RegExp(`^# TYPE ${name} `, "m"), name);
  }
});

const NO_PROMTOOL = existsSync(PROMTOOL) ? false : `${PROMTOOL} is missing (Debian package "prometheus")`;

/** What `promtool check metrics` says of `text`: its exit status and every line it printed. */
function promtool(text: string): { status: number | null; said: string } {
  const result = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8", timeout: 20_000 });
  assert.equal(result.error, undefined);
  return { status: result.status, said: `${result.stdout}${result.stderr}`.trim() };
}

test("the output passes `promtool check metrics` without a warning", { skip: NO_PROMTOOL }, async () => {
  const metrics = createMetrics({ version: "0.1.0", snapshot: () => ({ at: NOW, services: fleet(), channels: CHANNELS }) });
  metrics.countEvents("trader", [restartEvent(NOW)]);
  assert.deepEqual(promtool(await metrics.render()), { status: 0, said: "" });
});

test("promtool does object to prom-client's gauges named *_total, which Lifeguard drops", { skip: NO_PROMTOOL }, () => {
  const text = "# HELP lifeguard_nodejs_active_handles_total Total number of active handles.\n# TYPE lifeguard_nodejs_active_handles_total gauge\nlifeguard_nodejs_active_handles_total 3\n";
  const verdict = promtool(text);
  assert.notEqual(verdict.status, 0);
  assert.match(verdict.said, /non-counter metrics should not have "_total" suffix/);
});

test("a check's timestamp is the time its findings were last known to hold, when later than its run", async () => {
  const held = { ...service("trader", { kind: "healthy" }, [observation("log-fresh", true, { evidence: { ageMs: 45_000 } })]), heldAt: NOW };
  const metrics = createMetrics({ version: "0.1.0", snapshot: () => ({ at: NOW, services: [held] }), processMetrics: false });
  const found = samples(await metrics.render());
  assert.equal(found.get('lifeguard_check_timestamp_seconds{service="trader",check="log-fresh"}'), NOW / 1000);
  assert.equal(found.get('lifeguard_log_age_seconds{service="trader",check="log-fresh"}'), 45, "the evidence stays the last round's");
});

test("process gauges come from memory, cpu and connection checks' evidence only, each measure under its label", async () => {
  const snapshot = [service("trader", { kind: "healthy" }, [
    observation("memory#2", true, { evidence: { pssBytes: 1024 } }),
    observation("memory", false, { evidence: { rssBytes: "a lot" } }),
    observation("log-fresh", true, { evidence: { rssBytes: 5, threads: 3 } }),
    observation("cpu", true, { evidence: { threads: 4, zombies: 2, threadsInD: 1 } }),
    observation("connection", false, { evidence: { connections: [{ state: "ESTABLISHED", txQueue: 2150, rxQueue: 0 }, { state: "ESTABLISHED", txQueue: 100, rxQueue: 7 }, { state: "SYN_SENT", txQueue: 1, rxQueue: 0 }] } }),
    observation("connection#2", false, { evidence: { connections: [] } }),
  ])];
  const values = samples(await createMetrics({ version: "0", snapshot: () => ({ at: NOW, services: snapshot }), processMetrics: false }).render());
  assert.deepEqual([...values].filter(([key]) => /^lifeguard_(service_(memory|cpu|threads|open|zombies)|connection)/.test(key)), [
    ['lifeguard_service_memory_bytes{service="trader",check="memory#2",measure="pss"}', 1024],
    ['lifeguard_service_threads{service="trader",check="cpu"}', 4],
    ['lifeguard_service_zombies{service="trader",check="cpu"}', 2],
    ['lifeguard_service_threads_uninterruptible{service="trader",check="cpu"}', 1],
    ['lifeguard_connection_established{service="trader",check="connection"}', 2],
    ['lifeguard_connection_established{service="trader",check="connection#2"}', 0],
    ['lifeguard_connection_queue_bytes{service="trader",check="connection",queue="send"}', 2250],
    ['lifeguard_connection_queue_bytes{service="trader",check="connection",queue="receive"}', 7],
    ['lifeguard_connection_queue_bytes{service="trader",check="connection#2",queue="send"}', 0],
    ['lifeguard_connection_queue_bytes{service="trader",check="connection#2",queue="receive"}', 0],
  ]);
});
