import { formatDuration } from "../../core/duration.js";
import { describeSignal, type Ping } from "../../core/heartbeat.js";
import { buildApp } from "../../compose/build-app.js";
import { formatLocalTime } from "../../process/local-time.js";
import { describeHealth, formatAgo } from "../../compose/describe-status.js";
import { formatTable } from "../format-table.js";
import type { CliIo } from "../io.js";
import { openConfig } from "../open-config.js";
import { collectChannels, collectStatus, type ChannelStatus, type ServiceStatus } from "../../compose/service-status.js";

/**
 * `lifeguard status`: who watches, then each service, its state, last check and restarts in the
 * current window. A state is shown as current only while a Lifeguard watches the service; else
 * it is `unknown` with the last known one beside it. Exit 0 when every service is watched and
 * healthy, 1 otherwise (for scripts and exec probes).
 */
export async function runStatus(options: { config?: string; json?: boolean }, io: CliIo): Promise<number> {
  const config = await openConfig(options, io);
  const app = buildApp(config, { readOnly: true, logger: { write: () => undefined } });
  try {
    const now = app.clock.now();
    const statuses = collectStatus(config, app.store, now);
    const channels = collectChannels(config, app.store);
    const text = () => [renderWatchers(statuses, now), renderStatus(statuses, now), ...(channels.length === 0 ? [] : [renderChannels(channels, now)])].join("\n\n");
    io.stdout(options.json === true ? JSON.stringify({ at: new Date(now).toISOString(), services: statuses, channels }, null, 2) : text());
    return statuses.every(isWatchedAndHealthy) ? 0 : 1;
  } finally {
    app.close();
  }
}

/** The table; a LAST PING column only when some service has a heartbeat check by ping. */
function renderStatus(statuses: ServiceStatus[], now: number): string {
  const pinged = statuses.some((status) => status.lastPing !== undefined);
  const rows = statuses.map((status) => [
    status.service,
    status.target,
    describeHealth(status, now),
    formatAgo(status.lastCheckAt, now),
    `${status.restartsInWindow} of ${status.limit.max} in ${formatDuration(status.limit.perMs)}`,
    status.lastRestart === null ? "-" : `${formatAgo(status.lastRestart.finishedAt, now)} (${status.lastRestart.ok ? "ok" : "failed"})`,
    ...(pinged ? [describePing(status.lastPing, now)] : []),
  ]);
  return formatTable(["SERVICE", "TARGET", "STATE", "LAST CHECK", "RESTARTS", "LAST RESTART", ...(pinged ? ["LAST PING"] : [])], rows);
}

/** The alert channels: what waits in the outbox, the last delivery, the last error (its secrets already hidden). */
function renderChannels(channels: ChannelStatus[], now: number): string {
  const rows = channels.map((channel) => [
    channel.channel,
    channel.type,
    describePending(channel, now),
    formatAgo(channel.lastOkAt, now),
    channel.lastError === null || (channel.lastOkAt ?? 0) > (channel.lastErrorAt ?? 0) ? "-" : `${formatAgo(channel.lastErrorAt, now)}: ${channel.lastError}`,
  ]);
  return formatTable(["CHANNEL", "TYPE", "PENDING", "LAST SENT", "LAST ERROR"], rows);
}

/** `0`, `3 (oldest 5m ago, retry in 30s)`. */
function describePending(channel: ChannelStatus, now: number): string {
  if (channel.pending === 0) return "0";
  const oldest = `oldest ${formatAgo(channel.oldestPendingAt, now)}`;
  const retry = channel.retryAt !== null && channel.retryAt > now ? `, retry in ${formatDuration(channel.retryAt - now)}` : "";
  return `${channel.pending} (${oldest}${retry})`;
}

/** `12s ago`, `3s ago (fail)`, `never`; `-` for a service that takes no pings. */
function describePing(ping: Ping | null | undefined, now: number): string {
  if (ping === undefined) return "-";
  if (ping === null) return "never";
  const ago = formatAgo(ping.at, now);
  return ping.signal.kind === "success" ? ago : `${ago} (${describeSignal(ping.signal)})`;
}

/** Exit 0 of `status`: a Lifeguard watches it, and it is healthy with every check observing. */
function isWatchedAndHealthy(status: ServiceStatus): boolean {
  return status.watch.kind === "watched" && status.health.kind === "healthy" && status.control === undefined && status.lastCheckAt !== null && Object.keys(status.unobserved ?? {}).length === 0;
}

/**
 * One line per watcher above the table: who watches, since when, its last sign of life; or why
 * nothing does, so that nobody takes the last known states for current ones.
 */
function renderWatchers(statuses: ServiceStatus[], now: number): string {
  const lines = new Map<string, string[]>();
  for (const status of statuses) {
    const line = describeWatcher(status.watch, now);
    lines.set(line, [...(lines.get(line) ?? []), status.service]);
  }
  const scope = (services: string[]) => (lines.size === 1 ? "" : ` (${services.map((name) => `"${name}"`).join(", ")})`);
  return [...lines].map(([line, services]) => `${line}${scope(services)}`).join("\n");
}

function describeWatcher(watch: ServiceStatus["watch"], now: number): string {
  const ago = (at: number | null) => formatAgo(at, now);
  if (watch.kind === "unwatched") {
    if (watch.since === null) return `NOT WATCHED: ${watch.why}`;
    return `NOT WATCHED since ${ago(watch.since)}: ${watch.why}; the states below are the last known, not current`;
  }
  if (watch.kind === "stalled") return `NOT WATCHED: Lifeguard (PID ${watch.pid}) runs but has made no round since ${ago(watch.lastBeatAt)}; the states below are the last known, not current`;
  if (watch.by === "lifeguard check") return `Watched by lifeguard check: its last run ${ago(watch.lastBeatAt)}`;
  return `Watched by lifeguard run (PID ${watch.pid}) since ${formatLocalTime(watch.since)}; last sign of life ${ago(watch.lastBeatAt)}`;
}
