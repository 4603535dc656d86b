import type { AlertEvidence } from "../core/alert.js";
import { evidenceOf } from "../core/alert-compose.js";
import type { Observation } from "../core/outcome.js";
import type { ServiceEvent } from "../core/policy.js";
import type { RestartRecord } from "../core/store.js";
import { overviewOf, type ChannelStatus, type ServiceOverview, type ServiceStatus } from "../compose/service-status.js";
import type { HistoryEntry } from "../store/index.js";
import { buildTimeline, type Timeline } from "./timeline.js";

/** The page's window: the timeline's width and how far back the history goes. */
export const WINDOW_MS = 24 * 3_600_000;
/** Restarts and events listed per service: the newest; the timeline has the rest. */
export const LISTED_PER_SERVICE = 10;

/** What the page shows, as plain data: the renderers turn it into HTML and read nothing else. */
export interface PageView {
  at: number;
  /** Everyone sees names, health and timelines; the rest only a signed-in viewer (its forms' anti-forgery token). */
  viewer: { signedIn: true; csrf: string } | { signedIn: false; canSignIn: boolean };
  /** Seconds between reloads; null: not reloading. */
  refreshSeconds: number | null;
  /** What the viewer's last action came to (signed in only). */
  flash: { ok: boolean; summary: string } | null;
  services: ServiceCard[];
  /** Signed in only. */
  channels: readonly ChannelStatus[] | null;
  /** Whether the page offers control buttons (the daemon can carry them out). */
  canControl: boolean;
}

export interface ServiceCard {
  overview: ServiceOverview;
  timeline: Timeline;
  /** What a service wrote and was judged by: signed in only. */
  detail: ServiceDetail | null;
}

export interface ServiceDetail {
  status: ServiceStatus;
  /** The last round's observations, failing ones first, with their log lines. */
  evidence: AlertEvidence[];
  /** Newest first, at most LISTED_PER_SERVICE. */
  restarts: RestartRecord[];
  events: ServiceEvent[];
}

/** What the page is built from: the status read model, the window's history and the last rounds. */
export interface PageData {
  at: number;
  statuses: readonly ServiceStatus[];
  /** Newest first (`Store.history`), from `at - WINDOW_MS`. */
  history: readonly HistoryEntry[];
  observations(service: string): readonly Observation[];
}

/**
 * Each service's card. The timeline is built from event kinds and times only, so it is the same
 * for everyone; `detail` (evidence, reasons, steps, messages) is built only when `signedIn`.
 */
export function buildServiceCards(data: PageData, signedIn: boolean): ServiceCard[] {
  const window = { from: data.at - WINDOW_MS, to: data.at };
  return data.statuses.map((status) => {
    const entries = data.history.filter((entry) => entry.service === status.service);
    const events = entries.flatMap((entry) => (entry.type === "event" ? [entry.event] : []));
    // The timeline replays them as written: oldest first (a round's events share one time).
    const written = [...events].reverse();
    const restarts = entries.flatMap((entry) => (entry.type === "restart" ? [entry.restart] : []));
    const { watch } = status;
    const watchedFrom = watch.kind === "unwatched" ? null : watch.since;
    const unwatchedSince = watch.kind === "watched" ? null : watch.kind === "stalled" ? watch.lastBeatAt : (watch.since ?? data.at - WINDOW_MS);
    const now = { health: status.health.kind, control: status.control?.kind ?? null, changedAt: status.lastChangeAt, watchedFrom, unwatchedSince };
    const marks = restarts.map((restart) => ({ at: restart.startedAt, ok: restart.ok, requested: restart.attempt === 0 }));
    const detail = signedIn
      ? { status, evidence: evidenceOf(data.observations(status.service)), restarts: restarts.slice(0, LISTED_PER_SERVICE), events: events.slice(0, LISTED_PER_SERVICE) }
      : null;
    return { overview: overviewOf(status), timeline: buildTimeline(written, marks, now, window), detail };
  });
}
