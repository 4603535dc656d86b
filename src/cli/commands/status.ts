import { formatDuration } from "../../core/duration.js";
import { describeSignal, type Ping } from "../../core/heartbeat.js";
import { resetCommand } from "../../core/policy-messages.js";
import { buildApp } from "../../compose/build-app.js";
import { formatAgo, formatTable } from "../format-table.js";
import type { CliIo } from "../io.js";
import { findTarget, type TargetOptions } from "../find-target.js";
import { collectChannels, collectStatus, type ChannelStatus, type ServiceStatus } from "../../compose/service-status.js";

/** `lifeguard status`: each service, its state, last check and restarts in the current window. */
export async function runStatus(options: TargetOptions & { json?: boolean }, io: CliIo): Promise<number> {
  const config = await findTarget(options, { command: "status" }, io);
  const app = buildApp(config, { readOnly: true, logger: { write: () => undefined } });
  try {
    const now = app.clock.now();
    const statuses = collectStatus(config, app.store, now);
    const channels = collectChannels(config, app.store);
    // The advice in the table works as printed: it carries the options that found this configuration.
    const reset = (service: string): string => resetCommand(service, config.services.find((s) => s.name === service)?.policy.cliAddress ?? []);
    const table = (): string => renderStatus(statuses, now, reset);
    const text = () => (channels.length === 0 ? table() : `${table()}\n\n${renderChannels(channels, now)}`);
    io.stdout(options.json === true ? JSON.stringify({ at: new Date(now).toISOString(), services: statuses, channels }, null, 2) : text());
    return 0;
  } finally {
    app.close();
  }
}

/** The table; a LAST PING column only when some service has a heartbeat check by ping. */
function renderStatus(statuses: ServiceStatus[], now: number, reset: (service: string) => string): string {
  const pinged = statuses.some((status) => status.lastPing !== undefined);
  const rows = statuses.map((status) => [
    status.service,
    status.target,
    describeHealth(status, now, reset),
    formatAgo(status.lastCheckAt, now, formatDuration),
    `${status.restartsInWindow} of ${status.limit.max} in ${formatDuration(status.limit.perMs)}`,
    status.lastRestart === null ? "-" : `${formatAgo(status.lastRestart.finishedAt, now, formatDuration)} (${status.lastRestart.ok ? "ok" : "failed"})`,
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
    formatAgo(channel.lastOkAt, now, formatDuration),
    channel.lastError === null || (channel.lastOkAt ?? 0) > (channel.lastErrorAt ?? 0) ? "-" : `${formatAgo(channel.lastErrorAt, now, formatDuration)}: ${channel.lastError}`,
  ]);
  return formatTable(["CHANNEL", "TYPE", "PENDING", "LAST SENT", "LAST ERROR"], rows);
}

/** `0`, `3 (oldest 5m ago, retry in 30s)`. */
function describePending(channel: ChannelStatus, now: number): string {
  if (channel.pending === 0) return "0";
  const oldest = `oldest ${formatAgo(channel.oldestPendingAt, now, formatDuration)}`;
  const retry = channel.retryAt !== null && channel.retryAt > now ? `, retry in ${formatDuration(channel.retryAt - now)}` : "";
  return `${channel.pending} (${oldest}${retry})`;
}

/** `12s ago`, `3s ago (fail)`, `never`; `-` for a service that takes no pings. */
function describePing(ping: Ping | null | undefined, now: number): string {
  if (ping === undefined) return "-";
  if (ping === null) return "never";
  const ago = formatAgo(ping.at, now, formatDuration);
  return ping.signal.kind === "success" ? ago : `${ago} (${describeSignal(ping.signal)})`;
}

function describeHealth(status: ServiceStatus, now: number, reset: (service: string) => string): string {
  const unobserved = Object.entries(status.unobserved ?? {});
  if (unobserved.length === 0) return describeObserved(status, now, reset);
  const blind = unobserved.map(([check, { since }]) => `${check} since ${formatAgo(since, now, formatDuration)}`).join(", ");
  return `${describeObserved(status, now, reset)}; unobserved: ${blind}`;
}

function describeObserved(status: ServiceStatus, now: number, reset: (service: string) => string): string {
  const { health } = status;
  if (health.kind === "healthy") return status.lastCheckAt === null ? "unknown" : "healthy";
  const since = formatAgo(health.since, now, formatDuration);
  return health.kind === "gave-up" ? `gave-up ${since}: needs \`${reset(status.service)}\`` : `${health.kind} since ${since}`;
}
