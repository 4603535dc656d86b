import { formatDuration } from "../core/duration.js";
import { formatLocalClock } from "../process/local-time.js";
import type { ChannelStatus, ServiceStatus } from "./service-status.js";

/** `45s ago`, `3m ago`; `never` for null. */
export function formatAgo(at: number | null, now: number): string {
  if (at === null) return "never";
  return `${formatDuration(Math.max(0, now - at))} ago`;
}

/** What waits in a channel's outbox: `0`, `3 (oldest 5m ago, retry in 30s)` (`lifeguard status` and the status page). */
export function describePending(channel: ChannelStatus, now: number): string {
  if (channel.pending === 0) return "0";
  const oldest = `oldest ${formatAgo(channel.oldestPendingAt, now)}`;
  const retry = channel.retryAt !== null && channel.retryAt > now ? `, retry in ${formatDuration(channel.retryAt - now)}` : "";
  return `${channel.pending} (${oldest}${retry})`;
}

/** A channel's last error while it is its latest news, `5m ago: Cannot send ...` (its secrets hidden by the notifier); `-` when none, or a delivery since. */
export function describeLastError(channel: ChannelStatus, now: number): string {
  if (channel.lastError === null || (channel.lastOkAt ?? 0) > (channel.lastErrorAt ?? 0)) return "-";
  return `${formatAgo(channel.lastErrorAt, now)}: ${channel.lastError}`;
}

/**
 * A service's state in the words of `lifeguard status` (its STATE column, and Telegram's
 * `/status`): `healthy`, `gave-up 5m ago: needs ...`, a hold (grace, threshold, backoff), a stop or a
 * pause, what cannot be observed; for a service nobody watches, `unknown` with the last known state.
 */
export function describeHealth(status: ServiceStatus, now: number): string {
  if (status.watch.kind !== "watched") {
    // A command lives only as long as the Lifeguard that supervises it: none does now.
    const unwatched = status.supervised ? "not supervised" : "unknown";
    const since = status.watch.kind === "stalled" ? status.watch.lastBeatAt : status.watch.since;
    // What held it back then (a grace, a backoff) is over or not: nobody judges it now.
    return `${unwatched}${since === null ? "" : ` since ${formatAgo(since, now)}`} (last known: ${describeKnown({ ...status, heldBack: null }, now)})`;
  }
  return describeKnown(status, now);
}

function describeKnown(status: ServiceStatus, now: number): string {
  const unobserved = Object.entries(status.unobserved ?? {});
  if (unobserved.length === 0) return describeObserved(status, now);
  const blind = unobserved.map(([check, { since }]) => `${check} since ${formatAgo(since, now)}`).join(", ");
  return `${describeObserved(status, now)}; unobserved: ${blind}`;
}

function describeObserved(status: ServiceStatus, now: number): string {
  const { heldBack, control } = status;
  const ago = (at: number) => formatAgo(at, now);
  if (control?.kind === "stopped") return `stopped by ${control.by} ${ago(control.since)}: \`${status.advice.start}\` starts it`;
  const paused = control?.kind !== "paused" ? "" : `; paused by ${control.by} ${control.until === null ? "until resumed" : `until ${formatLocalClock(control.until, now)}`}${control.reason === null ? "" : ` (${control.reason})`}`;
  const { acknowledged } = status;
  const acked = acknowledged === undefined ? "" : `; acknowledged by ${acknowledged.by} ${ago(acknowledged.at)}`;
  return `${describeWait(describeHealthKind(status, now), heldBack, now)}${paused}${acked}${describeSchedule(status)}`;
}

/** `; active until 2026-12-07 17:00 America/New_York (in 3h); not quiet, quiet from ...`: where its windows stand. */
function describeSchedule(status: ServiceStatus): string {
  const { active = null, quiet = null } = status.schedule ?? {};
  // A restart held back by the quiet window already says until when.
  return [active, status.heldBack?.by === "quiet" ? null : quiet].flatMap((window) => (window === null ? [] : [`; ${window.says}`])).join("");
}

function describeWait(base: string, heldBack: ServiceStatus["heldBack"], now: number): string {
  if (heldBack === null) return base;
  const until = (at: number) => formatLocalClock(at, now);
  if (heldBack.by === "startup-grace") return `${base}; in startup grace until ${until(heldBack.until)} (started ${formatAgo(heldBack.startedAt, now)})`;
  if (heldBack.by === "backoff") return `${base}; restart waits for the backoff until ${until(heldBack.until)}`;
  if (heldBack.by === "quiet") return `${base}; restart held back: ${heldBack.why}`;
  return `${base} (${heldBack.rounds} of ${heldBack.threshold} failing rounds)`;
}

function describeHealthKind(status: ServiceStatus, now: number): string {
  const { health } = status;
  if (health.kind === "healthy") return status.lastCheckAt === null ? "never checked" : "healthy";
  const since = formatAgo(health.since, now);
  return health.kind === "gave-up" ? `gave-up ${since}: needs \`${status.advice.reset}\`` : `${health.kind} since ${since}`;
}
