import type { ServiceEvent } from "../core/policy.js";
import type { HealthKind } from "../core/state.js";

/** What a stretch of a service's day is drawn as: nobody watched it, a human's stop or pause, else its health. */
export type BandKind = HealthKind | "paused" | "stopped" | "unwatched";

/** One stretch of the timeline, `from` to `to` (wall ms). */
export interface Band {
  kind: BandKind;
  from: number;
  to: number;
}

/** A restart in the window: its start, whether it worked, whether a human asked for it. */
export interface RestartMark {
  at: number;
  ok: boolean;
  requested: boolean;
}

export interface Timeline {
  from: number;
  to: number;
  /** In time order, touching, covering `from` to `to`. */
  bands: Band[];
  marks: RestartMark[];
}

/** A human's request that holds (`ServiceControl`'s kind), or none. */
type Control = "stopped" | "paused" | null;

/** What the timeline needs of the service now: the end of the last band. */
export interface TimelineNow {
  health: HealthKind;
  control: Control;
  /** When the stored state last changed (null: never stored). */
  changedAt: number | null;
  /**
   * Since when a Lifeguard is known to have watched it: the present watcher's start, or an earlier
   * event's time (someone judged it then); null when never. Before it, its health is not known.
   */
  watchedFrom: number | null;
  /** Since when nobody watches it (stopped, killed, stalled, cron gone); null while someone does. */
  unwatchedSince: number | null;
}

/**
 * A service's day from its events: each event moves its health or its control, as the policy's
 * transition table does (docs/policy.md). The state before the window's first event is what that
 * event tells (a `recovered` was failing before, a `pause-ended` paused); a track no event of the
 * window moves was what it is now the whole day. A failing blip that passes below the threshold
 * leaves no event: the last band ends in the state now from the state's last change. `events` come
 * in the order they were written: a round's events share one time (`failing`, then `restart`).
 */
export function buildTimeline(events: readonly Pick<ServiceEvent, "kind" | "at" | "data">[], restarts: readonly RestartMark[], now: TimelineNow, window: { from: number; to: number }): Timeline {
  const inWindow = events.filter((event) => event.at >= window.from && event.at <= window.to).sort((a, b) => a.at - b.at);
  let health = firstDefined(inWindow.map(healthBefore)) ?? now.health;
  let control = firstDefined(inWindow.map(controlBefore)) ?? now.control;
  const bands: Band[] = [];
  let since = window.from;
  const moveTo = (kind: BandKind, at: number): void => {
    const current = bandOf(health, control);
    if (kind === current) return;
    bands.push({ kind: current, from: since, to: at });
    since = at;
  };
  for (const event of inWindow) {
    const nextHealth = healthAfter(event, health);
    const nextControl = controlAfter(event, control);
    moveTo(bandOf(nextHealth, nextControl), event.at);
    [health, control] = [nextHealth, nextControl];
  }
  const last = inWindow.at(-1)?.at ?? window.from;
  moveTo(bandOf(now.health, now.control), Math.min(window.to, Math.max(last, now.changedAt ?? window.to)));
  [health, control] = [now.health, now.control];
  bands.push({ kind: bandOf(health, control), from: since, to: window.to });
  const marks = restarts.filter((mark) => mark.at >= window.from && mark.at <= window.to).sort((a, b) => a.at - b.at);
  // Nothing is shown as a health while nobody watched: before the first watch (the watcher's start,
  // the first event, or a state stored earlier), and since the last one ended.
  const known = Math.min(now.watchedFrom ?? window.to, inWindow[0]?.at ?? window.to, now.changedAt ?? window.to);
  const unknown = [{ from: window.from, to: known }, ...(now.unwatchedSince === null ? [] : [{ from: now.unwatchedSince, to: window.to }])];
  return { from: window.from, to: window.to, bands: joinBands(unknown.reduce(overlayUnwatched, bands)), marks };
}

/** `bands` with `gap` drawn as unwatched: the bands it covers are cut to what lies outside it. */
function overlayUnwatched(bands: readonly Band[], gap: { from: number; to: number }): Band[] {
  if (gap.to <= gap.from) return [...bands];
  const outside = bands.flatMap((band) => [
    { ...band, to: Math.min(band.to, gap.from) },
    { ...band, from: Math.max(band.from, gap.to) },
  ]);
  return [...outside, { kind: "unwatched" as const, from: gap.from, to: gap.to }].filter((band) => band.to > band.from).sort((a, b) => a.from - b.from);
}

/** Without the stretches of no width (a round's events at one time), and each pair of neighbours alike made one. */
function joinBands(bands: readonly Band[]): Band[] {
  const joined: Band[] = [];
  for (const band of bands.filter((candidate) => candidate.to > candidate.from)) {
    const last = joined.at(-1);
    if (last?.kind === band.kind) last.to = band.to;
    else joined.push({ ...band });
  }
  return joined;
}

function bandOf(health: HealthKind, control: Control): BandKind {
  return control ?? health;
}

function firstDefined<T>(values: readonly (T | undefined)[]): T | undefined {
  return values.find((value) => value !== undefined);
}

type EventLike = Pick<ServiceEvent, "kind" | "data">;

/** A restart (or its failure) a human asked for: it moves no health of its own but the stop it ends. */
const requested = (event: EventLike): boolean => event.data.requested === true;

function healthAfter(event: EventLike, health: HealthKind): HealthKind {
  switch (event.kind) {
    case "failing":
    case "backoff":
    case "quiet-hold":
      return "failing";
    case "restart":
      return "restarting";
    case "restart-failed":
      return requested(event) ? health : "failing";
    case "restarted":
      return requested(event) && health === "gave-up" ? health : "healthy";
    case "gave-up":
      return "gave-up";
    case "recovered":
      return event.data.alertOnly === true ? health : "healthy";
    case "rearmed":
      return "healthy";
    case "reset":
      return health === "gave-up" ? "healthy" : health;
    default:
      return health;
  }
}

/** The health before `event`, when the event tells it; undefined when it could follow any. */
function healthBefore(event: EventLike): HealthKind | undefined {
  switch (event.kind) {
    case "failing":
      return "healthy";
    case "restart":
    case "backoff":
    case "quiet-hold":
    case "gave-up":
      return "failing";
    case "restarted":
    case "restart-failed":
      return requested(event) ? undefined : "restarting";
    case "recovered":
      return event.data.alertOnly === true ? undefined : "failing";
    case "rearmed":
      return "gave-up";
    case "reset":
      return event.data.wasGaveUp === true ? "gave-up" : undefined;
    default:
      return undefined;
  }
}

function controlAfter(event: EventLike, control: Control): Control {
  switch (event.kind) {
    case "stopped":
      return "stopped";
    case "paused":
      return "paused";
    case "resumed":
    case "pause-ended":
      return null;
    case "started":
    case "restarted":
      return control === "stopped" ? null : control;
    default:
      return control;
  }
}

function controlBefore(event: EventLike): Control | undefined {
  switch (event.kind) {
    case "stopped":
    case "paused":
      return null;
    case "started":
      return event.data.wasStopped === true ? "stopped" : undefined;
    case "resumed":
      return event.data.was === "stopped" ? "stopped" : "paused";
    case "pause-ended":
      return "paused";
    default:
      return undefined;
  }
}
