import type { Counter, Gauge, Registry } from "prom-client";
import type { Observation } from "../core/outcome.js";
import type { ChannelHealth } from "../core/outbox.js";
import type { ServiceEvent } from "../core/policy.js";
import { restartsInWindow } from "../core/restart-limit.js";
import type { HealthKind, ServiceState } from "../core/state.js";

/** One service as the daemon knows it at scrape time. */
export interface ServiceSnapshot {
  service: string;
  /** The policy's state (as the store keeps it). */
  state: ServiceState;
  limit: { max: number; perMs: number };
  /** The observations of the service's last round; empty before its first round. */
  observations: readonly Observation[];
  /** Wall time as of which those observations still hold without a round (the daemon's followed checks: now); absent: as of their own `at`. */
  heldAt?: number | null;
}

/** What the metrics are derived from, taken once per scrape. */
export interface MetricsSnapshot {
  /** Wall time (ms) of the snapshot: the restart window ends here. */
  at: number;
  services: readonly ServiceSnapshot[];
  /** The alert channels as the outbox sees them; absent or empty without channels. */
  channels?: readonly ChannelHealth[];
}

export interface MetricsOptions {
  snapshot(): MetricsSnapshot | Promise<MetricsSnapshot>;
  /** Exposed as `lifeguard_build_info{version}`. */
  version: string;
  /** Lifeguard's own process metrics (`lifeguard_process_*`, `lifeguard_nodejs_*`); on by default. */
  processMetrics?: boolean;
}

/** Lifeguard's metrics: one registry per Lifeguard, never prom-client's global one. */
export interface LifeguardMetrics {
  /** The registry, made (and prom-client loaded) at the first call. */
  registry(): Promise<Registry>;
  /** Counts what the policy decided; the daemon passes every event it commits. */
  countEvents(service: string, events: readonly ServiceEvent[]): void;
  /** Takes a snapshot and renders the Prometheus text format (0.0.4). */
  render(): Promise<string>;
}

const PREFIX = "lifeguard_";
/** How often the event-loop delay is sampled (prom-client's default is 10 ms). */
const EVENT_LOOP_SAMPLE_MS = 1000;
/** Check ids are the kind, with `#2`, `#3`... for repeats; `running` is the implicit liveness check. */
const LOG_FRESH_ID = /^log-fresh(?:#\d+)?$/;
const HEARTBEAT_ID = /^heartbeat(?:#\d+)?$/;
const HTTP_ID = /^http(?:#\d+)?$/;
const MEMORY_ID = /^memory(?:#\d+)?$/;
const CPU_ID = /^cpu(?:#\d+)?$/;
const CONNECTION_ID = /^connection(?:#\d+)?$/;
/** Every health kind, once; `satisfies` breaks the build when the state machine gains a kind. */
const HEALTH_KINDS = Object.keys({ healthy: 1, failing: 1, restarting: 1, "gave-up": 1 } satisfies Record<HealthKind, 1>) as HealthKind[];
/**
 * prom-client's gauges named `*_total` (each has a twin without the suffix, labelled by type):
 * Prometheus' naming rules, and `promtool check metrics`, keep `_total` for counters.
 */
const MISNAMED_DEFAULTS = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

/**
 * Lifeguard's metrics. prom-client is loaded and the registry made at the first scrape, not at
 * start: a daemon nobody scrapes keeps that memory (about 10 MiB, a fifth of its footprint).
 * Everything is derived at scrape time: the snapshot, and the restarts counted since start
 * (`countEvents`), so a service that left the config leaves the output at the next scrape.
 */
export function createMetrics(options: MetricsOptions): LifeguardMetrics {
  const restarts = new Map<string, number>();
  let built: Promise<BuiltMetrics> | undefined;
  const build = (): Promise<BuiltMetrics> => (built ??= buildRegistry(options));
  return {
    registry: async () => (await build()).registry,
    countEvents: (name, events) => {
      const attempts = events.filter((event) => event.kind === "restart").length;
      if (attempts > 0) restarts.set(name, (restarts.get(name) ?? 0) + attempts);
    },
    render: async () => {
      const metrics = await build();
      const snapshot = await options.snapshot();
      for (const name of restarts.keys()) if (!snapshot.services.some((entry) => entry.service === name)) restarts.delete(name);
      metrics.derive(snapshot, restarts);
      return metrics.registry.metrics();
    },
  };
}

interface BuiltMetrics {
  registry: Registry;
  derive(snapshot: MetricsSnapshot, restarts: ReadonlyMap<string, number>): void;
}

async function buildRegistry(options: MetricsOptions): Promise<BuiltMetrics> {
  const { collectDefaultMetrics, Counter, Gauge, Registry } = await import("prom-client");
  const registry = new Registry();
  if (options.processMetrics !== false) {
    // The event-loop delay histogram samples at 10 ms by default: 100 wake-ups a second of an
    // otherwise idle daemon (~0.8 % of a core on a Pi-class CPU). One sample a second is plenty.
    collectDefaultMetrics({ register: registry, prefix: PREFIX, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(`${PREFIX}${name}`);
  }
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name: `${PREFIX}${name}`, help, labelNames, registers: [registry] });

  const build = gauge("build_info", "Always 1; the version of Lifeguard in a label.", ["version"]);
  build.set({ version: options.version }, 1);
  const service = {
    up: gauge("service_up", "1 when the service runs (its running check passed in the last round), else 0.", ["service"]),
    healthy: gauge("service_healthy", "1 when every check that can restart the service passed in the last round, else 0.", ["service"]),
    gaveUp: gauge("service_gave_up", "1 when the restart limit was reached and Lifeguard no longer restarts the service until reset.", ["service"]),
    state: gauge("service_state", "1 for the service's current state in Lifeguard's policy, 0 for the others.", ["service", "state"]),
    inWindow: gauge("restarts_in_window", "Restart attempts inside the current restart-limit window.", ["service"]),
    limit: gauge("restart_limit_max", "Restart attempts allowed in one restart-limit window before Lifeguard gives up.", ["service"]),
  };
  const check = {
    ok: gauge("check_ok", "1 when the check passed in the service's last round, else 0.", ["service", "check"]),
    duration: gauge("check_duration_seconds", "How long the check took in the service's last round.", ["service", "check"]),
    at: gauge("check_timestamp_seconds", "When the check last ran, or last held (a followed check whose subject did not change since it ran), in seconds since the epoch.", ["service", "check"]),
    logAge: gauge("log_age_seconds", "Age of the log file the check watches (time since its last write), as of the last round.", ["service", "check"]),
    heartbeatAge: gauge("heartbeat_age_seconds", "Time since the service's last heartbeat (a ping, or a touch of the heartbeat file), as of the last round.", ["service", "check"]),
    httpStatus: gauge("http_status", "The status the http check's request was answered with in the last round (absent when it got no answer).", ["service", "check"]),
  };
  const processes = {
    memory: gauge("service_memory_bytes", "Memory of the service's processes as its memory check measured it in the last round (RSS or PSS, summed or of the main process).", ["service", "check", "measure"]),
    cpu: gauge("service_cpu_seconds", "CPU time (user and system) of the service's living processes, as its cpu check read it in the last round.", ["service", "check"]),
    threads: gauge("service_threads", "Threads of the service's processes, as its cpu check counted them in the last round.", ["service", "check"]),
    fds: gauge("service_open_fds", "Open file descriptors of the service's processes, as its cpu check counted them in the last round.", ["service", "check"]),
    zombies: gauge("service_zombies", "Zombie children of the service's processes (ended, never reaped), as its cpu check counted them in the last round (a check with max-zombies).", ["service", "check"]),
    stuck: gauge("service_threads_uninterruptible", "Threads of the service's processes in uninterruptible sleep (D), as its cpu check saw them in the last round (a check with stuck-in-d).", ["service", "check"]),
    connections: gauge("connection_established", "The service's ESTABLISHED connections to the connection check's `to`, as the check found them in the last round.", ["service", "check"]),
    queued: gauge("connection_queue_bytes", "Bytes in those connections' queues in the last round: `send`, sent and not acknowledged by the peer; `receive`, received and not read by the service.", ["service", "check", "queue"]),
  };
  const channel = {
    pending: gauge("alerts_pending", "Alerts waiting in the outbox to be sent on the channel.", ["channel"]),
    failures: gauge("alert_channel_failures", "Failed delivery attempts on the channel since its last success.", ["channel"]),
    lastOk: gauge("alert_channel_last_success_timestamp_seconds", "When the channel last delivered, in seconds since the epoch (absent: never).", ["channel"]),
  };
  const restartsTotal: Counter<"service"> = new Counter<"service">({
    name: `${PREFIX}restarts_total`,
    help: "Restart attempts Lifeguard decided since it started.",
    labelNames: ["service"],
    registers: [registry],
  });

  const derive = (snapshot: MetricsSnapshot, restarts: ReadonlyMap<string, number>): void => {
    for (const metric of [...Object.values(service), ...Object.values(check), ...Object.values(processes), ...Object.values(channel), restartsTotal]) metric.reset();
    for (const entry of snapshot.channels ?? []) {
      const labels = { channel: entry.channel };
      channel.pending.set(labels, entry.pending);
      channel.failures.set(labels, entry.failures);
      if (entry.lastOkAt !== null) channel.lastOk.set(labels, entry.lastOkAt / 1000);
    }
    for (const entry of snapshot.services) {
      const labels = { service: entry.service };
      const kind = entry.state.health.kind;
      for (const state of HEALTH_KINDS) service.state.set({ ...labels, state }, Number(state === kind));
      service.gaveUp.set(labels, Number(kind === "gave-up"));
      service.inWindow.set(labels, restartsInWindow(entry.state.restarts, snapshot.at, entry.limit.perMs).length);
      service.limit.set(labels, entry.limit.max);
      // Every service has a series from the start (0), so increase() sees the first restart;
      // the count only grows while Lifeguard runs, so the counter never goes back.
      restartsTotal.inc(labels, restarts.get(entry.service) ?? 0);
      deriveChecks(entry, check, service);
      for (const observation of entry.observations) deriveProcessGauges(observation, { ...labels, check: observation.check }, processes);
    }
  };
  return { registry, derive };
}

type ServiceGauges = Record<"up" | "healthy", Gauge<"service">>;
type CheckGauges = Record<"ok" | "duration" | "at" | "logAge" | "heartbeatAge" | "httpStatus", Gauge<"service" | "check">>;
type ProcessGauges = { memory: Gauge<"service" | "check" | "measure">; queued: Gauge<"service" | "check" | "queue"> } & Record<"cpu" | "threads" | "fds" | "zombies" | "stuck" | "connections", Gauge<"service" | "check">>;

function deriveChecks(entry: ServiceSnapshot, check: CheckGauges, service: ServiceGauges): void {
  const labels = { service: entry.service };
  const running = entry.observations.find((observation) => observation.check === "running");
  if (running) service.up.set(labels, Number(running.ok));
  if (entry.observations.length > 0) service.healthy.set(labels, Number(entry.observations.every((o) => o.ok || o.alertOnly)));
  for (const observation of entry.observations) {
    const checkLabels = { ...labels, check: observation.check };
    check.ok.set(checkLabels, Number(observation.ok));
    check.duration.set(checkLabels, observation.durationMs / 1000);
    check.at.set(checkLabels, Math.max(observation.at, entry.heldAt ?? 0) / 1000);
    const { status } = observation.evidence;
    if (HTTP_ID.test(observation.check) && typeof status === "number") check.httpStatus.set(checkLabels, status);
    const ageMs = observation.evidence.ageMs;
    if (typeof ageMs !== "number" || !Number.isFinite(ageMs)) continue;
    if (LOG_FRESH_ID.test(observation.check)) check.logAge.set(checkLabels, ageMs / 1000);
    if (HEARTBEAT_ID.test(observation.check)) check.heartbeatAge.set(checkLabels, ageMs / 1000);
  }
}

/** What the memory, cpu and connection checks read of the service's processes, from their last observation's evidence (never a look at /proc here). */
function deriveProcessGauges(observation: Observation, labels: { service: string; check: string }, gauges: ProcessGauges): void {
  const { evidence } = observation;
  const finite = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
  if (MEMORY_ID.test(observation.check)) {
    for (const measure of ["rss", "pss"]) {
      const bytes = evidence[`${measure}Bytes`];
      if (finite(bytes)) gauges.memory.set({ ...labels, measure }, bytes);
    }
  }
  if (CONNECTION_ID.test(observation.check) && Array.isArray(evidence.connections)) {
    const established = (evidence.connections as Array<Record<string, unknown>>).filter((connection) => connection.state === "ESTABLISHED");
    const sum = (field: string): number => established.reduce((total, connection) => total + (finite(connection[field]) ? connection[field] : 0), 0);
    gauges.connections.set(labels, established.length);
    gauges.queued.set({ ...labels, queue: "send" }, sum("txQueue"));
    gauges.queued.set({ ...labels, queue: "receive" }, sum("rxQueue"));
  }
  if (!CPU_ID.test(observation.check)) return;
  if (finite(evidence.cpuSeconds)) gauges.cpu.set(labels, evidence.cpuSeconds);
  if (finite(evidence.threads)) gauges.threads.set(labels, evidence.threads);
  if (finite(evidence.fds)) gauges.fds.set(labels, evidence.fds);
  if (finite(evidence.zombies)) gauges.zombies.set(labels, evidence.zombies);
  if (finite(evidence.threadsInD)) gauges.stuck.set(labels, evidence.threadsInD);
}
