import { hasPingHeartbeat } from "../config/ping-heartbeat.js";
import type { LifeguardConfig } from "../config/types.js";
import type { Ping } from "../core/heartbeat.js";
import type { ChannelHealth } from "../core/outbox.js";
import type { RestartRecord } from "../core/store.js";
import { restartsInWindow } from "../core/restart-limit.js";
import { initialState, type ServiceState } from "../core/state.js";
import type { Store } from "../store/index.js";

/** One service as `lifeguard status` shows it, also its `--json` shape. */
export interface ServiceStatus {
  service: string;
  target: string;
  health: ServiceState["health"];
  /** Checks that cannot observe the service (a log Lifeguard may not read): since when, why, and the fix; absent when none. */
  unobserved?: ServiceState["unobserved"];
  /** Wall time (ms) of the last recorded round; recorded at most every few minutes while nothing changes. */
  lastCheckAt: number | null;
  lastChangeAt: number | null;
  restartsInWindow: number;
  limit: { max: number; perMs: number };
  lastRestart: RestartRecord | null;
  /** The last ping, for a service with a heartbeat check by ping (null: never pinged); absent for others. */
  lastPing?: Ping | null;
}

/**
 * A service as `/api/status` shows it to a request without the token: its name, health and
 * restart count, nothing it wrote or was judged by (no reason, evidence, target or last ping).
 */
export interface ServiceOverview {
  service: string;
  health: { kind: ServiceState["health"]["kind"]; since?: number };
  restartsInWindow: number;
}

export function overviewOf(status: ServiceStatus): ServiceOverview {
  const { health } = status;
  return { service: status.service, health: "since" in health ? { kind: health.kind, since: health.since } : { kind: health.kind }, restartsInWindow: status.restartsInWindow };
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

/** Joins the configured services with what the store remembers of them. */
export function collectStatus(config: LifeguardConfig, store: Store | null, now: number): ServiceStatus[] {
  const known = new Map((store?.services() ?? []).map((summary) => [summary.service, summary]));
  return config.services.map((service) => {
    const summary = known.get(service.name);
    const state = summary?.state ?? initialState();
    return {
      service: service.name,
      target: service.target,
      health: state.health,
      ...(state.unobserved === undefined ? {} : { unobserved: state.unobserved }),
      lastCheckAt: summary?.checkedAt ?? null,
      lastChangeAt: summary?.updatedAt ?? null,
      restartsInWindow: restartsInWindow(state.restarts, now, service.policy.limit.perMs).length,
      limit: service.policy.limit,
      lastRestart: summary?.lastRestart ?? null,
      ...(hasPingHeartbeat(service) ? { lastPing: store?.readHeartbeat(service.name)?.lastPing ?? null } : {}),
    };
  });
}
