import type { HeartbeatCheckConfig } from "../config/types.js";
import { formatDuration } from "../core/duration.js";
import { isFailureSignal, type Heartbeat, type Ping } from "../core/heartbeat.js";
import { createHeartbeatFileProbe } from "./heartbeat-file.js";
import type { Finding, ProbeFactory } from "./probe.js";

/**
 * `heartbeat`: the service proves it is alive. With `file`, by touching it (its mtime, as
 * `log-fresh` reads a log's); without, by pinging `/ping/NAME`: the daemon keeps the last ping
 * in the store and this probe reads it there, so `lifeguard check` judges it too.
 */
export const createHeartbeatProbe: ProbeFactory<HeartbeatCheckConfig> = (config, deps) => {
  const { file } = config;
  if (file !== null) return createHeartbeatFileProbe({ file, maxAgeMs: config.maxAgeMs }, deps);
  return async () => {
    const now = deps.clock.now();
    return judgeHeartbeat(deps.heartbeats.lookUpHeartbeat(deps.serviceName, now), now, config.maxAgeMs, deps.serviceName);
  };
};

/**
 * The verdict on a heartbeat at `now`: failing when the last ping reported a failure (`/fail`,
 * an exit code other than 0) until a success, start or 0 follows; failing when the last ping,
 * or the start of the watch when that is later, lies more than `maxAgeMs` back. A passing
 * verdict runs out 1 ms past max-age (`dueAt`). A time ahead of `now` (the clock stepped back)
 * counts as age 0, so a clock jump never looks like a missed beat.
 */
export function judgeHeartbeat(heartbeat: Heartbeat, now: number, maxAgeMs: number, service: string): Finding {
  const { lastPing, watchedSince } = heartbeat;
  const since = Math.max(lastPing?.at ?? watchedSince, watchedSince);
  const ageMs = Math.max(0, now - since);
  const evidence = {
    maxAgeMs,
    ageMs,
    watchedSince: formatTime(watchedSince),
    lastPingAt: lastPing === null ? null : formatTime(lastPing.at),
    signal: lastPing?.signal.kind ?? null,
    ...(lastPing?.signal.kind === "exit" ? { exitCode: lastPing.signal.exitCode } : {}),
    ...(now < since ? { futureMs: since - now } : {}),
  };
  if (lastPing !== null && isFailureSignal(lastPing.signal)) return { ok: false, summary: describeFailure(service, lastPing, now), evidence };
  if (ageMs > maxAgeMs) return { ok: false, summary: `No heartbeat for ${formatDuration(ageMs)} (max-age ${formatDuration(maxAgeMs)})`, evidence };
  const dueAt = since + maxAgeMs + 1;
  if (lastPing === null || lastPing.at < watchedSince) {
    return { ok: true, summary: `Waiting for the first heartbeat since Lifeguard began watching ${formatDuration(ageMs)} ago (max-age ${formatDuration(maxAgeMs)})`, evidence, dueAt };
  }
  return { ok: true, summary: `Heartbeat received ${formatDuration(ageMs)} ago`, evidence, dueAt };
}

function describeFailure(service: string, ping: Ping, now: number): string {
  const what = ping.signal.kind === "exit" ? `exit code ${ping.signal.exitCode}` : "failure";
  return `"${service}" reported ${what} at ${formatTime(ping.at)} (${formatDuration(Math.max(0, now - ping.at))} ago)`;
}

/** `2024-11-30T21:00:01Z`: UTC, to the second. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
