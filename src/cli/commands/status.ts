import { formatDuration, parseDuration } from "../../core/duration.js";
import { describeSignal, type Ping } from "../../core/heartbeat.js";
import { buildApp } from "../../compose/build-app.js";
import { formatLocalTime } from "../../process/local-time.js";
import { describeHealth, describeLastError, describePending, formatAgo } from "../../compose/describe-status.js";
import { formatTable } from "../format-table.js";
import { colourEnabled, paint, type Style } from "../paint.js";
import { watchLoop } from "../watch-loop.js";
import { UsageError } from "../../core/errors.js";
import type { LifeguardConfig } from "../../config/types.js";
import type { CliIo } from "../io.js";
import { findTarget, type TargetOptions } from "../find-target.js";
import { collectChannels, collectStatus, type ChannelStatus, type ServiceStatus } from "../../compose/service-status.js";

/**
 * `lifeguard status`: who watches, then each service, its state, last check and restarts in the
 * current window. A state is shown as current only while a Lifeguard watches the service; else
 * it is `unknown` with the last known one beside it. Exit 0 when every service is watched and
 * healthy, 1 otherwise (for scripts and exec probes).
 */
export async function runStatus(options: StatusOptions, io: CliIo): Promise<number> {
  const { watch, interval, json, ...target } = options;
  const config = await findTarget(target, { command: "status" }, io);
  const colours = json !== true && colourEnabled(io);
  if (watch === true) {
    if (json === true) throw new UsageError("Cannot use --json with --watch: a live view is for a person; poll `lifeguard status --json` from a script");
    const intervalMs = interval === undefined ? WATCH_EVERY_MS : parseDuration(interval);
    if (intervalMs === undefined || intervalMs < MIN_WATCH_EVERY_MS) throw new UsageError(`Cannot read --interval: expected a duration of at least 1s such as 2s or 1m, got "${interval}"`);
    return watchLoop(async () => readStatus(config, colours).text, { intervalMs, title: "lifeguard status" }, io);
  }
  const read = readStatus(config, colours);
  io.stdout(json === true ? JSON.stringify({ at: new Date(read.now).toISOString(), services: read.statuses, channels: read.channels }, null, 2) : read.text);
  return read.statuses.every(isWatchedAndHealthy) ? 0 : 1;
}

export interface StatusOptions extends TargetOptions {
  json?: boolean;
  /** A live view, redrawn every `interval` (2s by default) until q or Ctrl-C. */
  watch?: boolean;
  interval?: string;
}

/** `status --watch` redraws this often unless told; not more often than every second. */
const WATCH_EVERY_MS = 2000;
const MIN_WATCH_EVERY_MS = 1000;

/** One reading of the store: what `status` prints, and `--watch` again each time. */
function readStatus(config: LifeguardConfig, colours: boolean): { now: number; statuses: ServiceStatus[]; channels: ChannelStatus[]; text: string } {
  const app = buildApp(config, { readOnly: true, logger: { write: () => undefined } });
  try {
    const now = app.clock.now();
    const statuses = collectStatus(config, app.store, now);
    const channels = collectChannels(config, app.store);
    const text = [renderWatchers(statuses, now, colours), renderStatus(statuses, now, colours), ...(channels.length === 0 ? [] : [renderChannels(channels, now)])].join("\n\n");
    return { now, statuses, channels, text };
  } finally {
    app.close();
  }
}

/** The table; a LAST PING column only when some service has a heartbeat check by ping. */
function renderStatus(statuses: ServiceStatus[], now: number, colours: boolean): string {
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
  const header = ["SERVICE", "TARGET", "STATE", "LAST CHECK", "RESTARTS", "LAST RESTART", ...(pinged ? ["LAST PING"] : [])];
  return formatTable(header, rows, (cell, row, column) => (column === STATE_COLUMN ? paint(cell, styleOf(statuses[row]), colours) : cell));
}

const STATE_COLUMN = 2;

/** How a state is set off on a terminal: well (green), a problem Lifeguard is on (yellow), one it is not or cannot be (red), a human's hold (cyan). */
function styleOf(status: ServiceStatus | undefined): Style | null {
  if (status === undefined) return null;
  if (status.watch.kind !== "watched") return "bad";
  if (status.control !== undefined) return "held";
  switch (status.health.kind) {
    case "healthy":
      if (status.lastCheckAt === null) return "quiet";
      return Object.keys(status.unobserved ?? {}).length === 0 ? "ok" : "warn";
    case "gave-up":
      return "bad";
    default:
      return "warn";
  }
}

/** The alert channels: what waits in the outbox, the last delivery, the last error (its secrets already hidden). */
function renderChannels(channels: ChannelStatus[], now: number): string {
  const rows = channels.map((channel) => [
    channel.channel,
    channel.type,
    describePending(channel, now),
    formatAgo(channel.lastOkAt, now),
    describeLastError(channel, now),
  ]);
  return formatTable(["CHANNEL", "TYPE", "PENDING", "LAST SENT", "LAST ERROR"], rows);
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
function renderWatchers(statuses: ServiceStatus[], now: number, colours: boolean): string {
  const lines = new Map<string, string[]>();
  for (const status of statuses) {
    const line = describeWatcher(status.watch, now);
    lines.set(line, [...(lines.get(line) ?? []), status.service]);
  }
  const scope = (services: string[]) => (lines.size === 1 ? "" : ` (${services.map((name) => `"${name}"`).join(", ")})`);
  return [...lines].map(([line, services]) => paint(`${line}${scope(services)}`, line.startsWith("NOT WATCHED") ? "bad" : "ok", colours)).join("\n");
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
