import { hasPingHeartbeat } from "../config/ping-heartbeat.js";
import type { LifeguardConfig } from "../config/types.js";
import type { Ping } from "../core/heartbeat.js";
import type { ChannelHealth } from "../core/outbox.js";
import type { RestartRecord } from "../core/store.js";
import { restartsInWindow } from "../core/restart-limit.js";
import { heldBackOf } from "../core/held-back.js";
import type { PolicySettings } from "../core/policy.js";
import { describeWindows } from "../core/schedule/schedule-now.js";
import type { ScheduleWindow } from "../core/schedule/window.js";
import { windowStateAt, type WindowState } from "../core/schedule/window-state.js";
import type { HeldBack } from "../core/policy.js";
import { controlCommand, type ServiceControl } from "../core/control.js";
import { resetCommand } from "../core/policy-messages.js";
import { initialState, type Acknowledgement, type ServiceState } from "../core/state.js";
import { isAcknowledged } from "../core/acknowledge.js";
import { judgeWatch, type Watch, type WatchRecord } from "../core/watch.js";
import { isRecordedProcessAlive } from "../process/proc-stat.js";
import type { Store } from "../store/index.js";

/** One service as `lifeguard status` shows it, also its `--json` shape. */
export interface ServiceStatus {
  service: string;
  target: string;
  /** Whether a Lifeguard watches it now: `health` is current only while `watch.kind` is `watched`, else the last known. */
  watch: WatchStatus;
  /** A `command:` service: it runs only while a `lifeguard run` supervises it. */
  supervised: boolean;
  /** What holds back a restart of it now (startup grace, threshold, backoff) and until when; null when nothing does. */
  heldBack: HeldBack | null;
  /** A human's stop or pause in force (by whom, since, until); absent when none. */
  control?: ServiceControl;
  /** The commands that re-arm and start it, as printed advice: with the options that find its configuration. */
  advice: { reset: string; start: string };
  /** Who acknowledged the open incident (its reminders stop), and when; absent when nobody did. */
  acknowledged?: Acknowledgement;
  health: ServiceState["health"];
  /** Checks that cannot observe the service (a log Lifeguard may not read): since when, why, and the fix; absent when none. */
  unobserved?: ServiceState["unobserved"];
  /** Wall time (ms) of the last recorded round; recorded at most every few minutes while nothing changes. */
  lastCheckAt: number | null;
  lastChangeAt: number | null;
  restartsInWindow: number;
  limit: { max: number; perMs: number };
  lastRestart: RestartRecord | null;
  /** Where its `active:` and `quiet:` windows stand now and when that changes (null: none of that kind); absent when it has no windows. */
  schedule?: { active: ScheduleStatus | null; quiet: ScheduleStatus | null };
  /** The last ping, for a service with a heartbeat check by ping (null: never pinged); absent for others. */
  lastPing?: Ping | null;
}

/** Who watches a service now, as `status` shows it. */
export type WatchStatus =
  | { kind: "watched" | "stalled"; by: "lifeguard run" | "lifeguard check"; pid: number; since: number; lastBeatAt: number; url: string | null }
  | { kind: "unwatched"; since: number | null; why: string };

/**
 * A service as `/api/status` shows it to a request without the token: its name, health and
 * restart count, nothing it wrote or was judged by (no reason, evidence, target or last ping).
 */
export interface ServiceOverview {
  service: string;
  /** False: nobody watches it, and `health` is the last known, not the current one. */
  watched: boolean;
  health: { kind: ServiceState["health"]["kind"]; since?: number };
  restartsInWindow: number;
}

export function overviewOf(status: ServiceStatus): ServiceOverview {
  const { health } = status;
  return {
    service: status.service,
    watched: status.watch.kind === "watched",
    health: "since" in health ? { kind: health.kind, since: health.since } : { kind: health.kind },
    restartsInWindow: status.restartsInWindow,
  };
}

/** One alert channel as `lifeguard status` shows it: what waits, and how its last attempts went. */
export interface ChannelStatus extends ChannelHealth {
  type: string;
}

/** The configured channels with the outbox's view of them (nothing pending, never tried: without a store). */
export function collectChannels(config: LifeguardConfig, store: Store | null): ChannelStatus[] {
  const names = config.channels.map((channel) => channel.name);
  const health = store?.channelHealth(names) ?? names.map((channel) => ({
    channel, pending: 0, oldestPendingAt: null, failures: 0, retryAt: null, lastOkAt: null, lastError: null, lastErrorAt: null,
  }));
  return health.map((entry, index) => ({ ...entry, type: config.channels[index]?.type ?? "" }));
}

/** Where a service's windows of one kind stand: inside or not, until when (null: no change within 400 days), in words. */
export interface ScheduleStatus extends WindowState {
  says: string;
}

function scheduleOf(policy: PolicySettings, now: number): Pick<ServiceStatus, "schedule"> {
  const { active = [], quiet = [] } = policy.schedule ?? {};
  if (active.length === 0 && quiet.length === 0) return {};
  const status = (windows: readonly ScheduleWindow[], words: { inside: string; outside: string; opens: string }): ScheduleStatus | null =>
    windows.length === 0 ? null : { ...windowStateAt(windows, now), says: describeWindows(windows, now, words) };
  return {
    schedule: {
      active: status(active, { inside: "active", outside: "outside its active window", opens: "opens" }),
      quiet: status(quiet, { inside: "quiet: no restarts", outside: "not quiet", opens: "quiet from" }),
    },
  };
}

/** Joins the configured services with what the store remembers of them. */
export function collectStatus(config: LifeguardConfig, store: Store | null, now: number): ServiceStatus[] {
  const known = new Map((store?.services() ?? []).map((summary) => [summary.service, summary]));
  const watchers = new Map((store?.watchers() ?? []).map((record) => [record.service, record]));
  return config.services.map((service) => {
    const summary = known.get(service.name);
    const state = summary?.state ?? initialState();
    return {
      service: service.name,
      target: service.target,
      watch: watchStatusOf(watchers.get(service.name) ?? null, now, service.runner.kind === "process"),
      supervised: service.runner.kind === "process",
      heldBack: heldBackOf(state, now, service.policy),
      ...(state.control === undefined ? {} : { control: state.control }),
      advice: { reset: resetCommand(service.name, service.policy.cliAddress), start: controlCommand("start", service.name, service.policy.cliAddress) },
      ...(state.acknowledged === undefined || !isAcknowledged(state) ? {} : { acknowledged: state.acknowledged }),
      health: state.health,
      ...(state.unobserved === undefined ? {} : { unobserved: state.unobserved }),
      lastCheckAt: summary?.checkedAt ?? null,
      lastChangeAt: summary?.updatedAt ?? null,
      restartsInWindow: restartsInWindow(state.restarts, now, service.policy.limit.perMs).length,
      limit: service.policy.limit,
      lastRestart: summary?.lastRestart ?? null,
      ...scheduleOf(service.policy, now),
      ...(hasPingHeartbeat(service) ? { lastPing: store?.readHeartbeat(service.name)?.lastPing ?? null } : {}),
    };
  });
}

/** The watch of a service, from its recorded watcher and whether that process still runs. */
export function watchStatusOf(record: WatchRecord | null, now: number, supervised = false): WatchStatus {
  const watch: Watch = judgeWatch(record, { alive: record !== null && record.mode === "daemon" && isRecordedProcessAlive(record), supervised }, now);
  if (watch.kind === "unwatched") return { kind: "unwatched", since: watch.since, why: watch.why };
  const { by } = watch;
  return { kind: watch.kind, by: by.mode === "daemon" ? "lifeguard run" : "lifeguard check", pid: by.pid, since: by.since, lastBeatAt: by.beatAt, url: by.url };
}
