import { formatDuration } from "../duration.js";
import { isoMinute } from "./civil.js";
import { clockAt, type ScheduleWindow } from "./window.js";
import { windowStateAt } from "./window-state.js";

/**
 * What a service's (or a check's) windows say at one instant: whether it is judged (`active:`),
 * whether its restarts are held back (`quiet:`), and until when. Pure: the time is an input.
 */

/** Judged, or not and why: outside its active windows, or in the startup grace of their opening. */
export type Judging =
  | { judged: true }
  | { judged: false; why: string; until: number | null };

/**
 * Judged inside the windows (always when there are none), and not in the first `graceMs` after
 * they open: a bot quiet all night is not called stale the minute its day begins, as after a start.
 */
export function judgingAt(active: readonly ScheduleWindow[], now: number, graceMs: number): Judging {
  if (active.length === 0) return { judged: true };
  const state = windowStateAt(active, now);
  const zone = zoneOf(active);
  if (!state.inside) return { judged: false, until: state.until, why: state.until === null ? `outside its active window, which opens ${NEVER}` : `outside its active window until ${describeWindowTime(state.until, zone, now)}` };
  if (graceMs <= 0) return { judged: true };
  const before = windowStateAt(active, now - graceMs);
  if (before.inside || before.until === null) return { judged: true };
  const until = before.until + graceMs;
  return { judged: false, until, why: `its active window opened ${formatDuration(Math.max(0, now - before.until))} ago: in its startup grace until ${describeWindowTime(until, zone, now)}` };
}

/** Inside a quiet window, until when and which (its expression); null outside every one. */
export function quietAt(quiet: readonly ScheduleWindow[], now: number): { until: number | null; why: string } | null {
  if (quiet.length === 0) return null;
  const state = windowStateAt(quiet, now);
  if (!state.inside) return null;
  return { until: state.until, why: `its quiet window lasts until ${describeWindowTime(state.until, zoneOf(quiet), now)}` };
}

/** Where a list of windows stands, for `status`: `active until 2026-12-07 17:00 America/New_York (in 3h)`. */
export function describeWindows(windows: readonly ScheduleWindow[], now: number, words: { inside: string; outside: string; opens: string }): string {
  const state = windowStateAt(windows, now);
  const when = describeWindowTime(state.until, zoneOf(windows), now);
  if (!state.inside && state.until === null) return `${words.outside}, ${words.opens} ${NEVER}`;
  return state.inside ? `${words.inside} until ${when}` : `${words.outside}, ${words.opens} ${when}`;
}

/** Said of a window that does not change within the look ahead. */
const NEVER = "not within 400 days";

/** `2026-12-08 09:00 America/New_York (in 15h30m)`, on the clock of the windows' zone; `further notice (...)` for null. */
export function describeWindowTime(at: number | null, zone: string, now: number): string {
  if (at === null) return `further notice (no change within 400 days)`;
  return `${isoMinute(clockAt(zone, at))} ${zone} (in ${formatDuration(Math.max(0, at - now))})`;
}

/** The zone a list of windows is told in: the first one's (a list in two zones is rare, and each edge is still exact). */
const zoneOf = (windows: readonly ScheduleWindow[]): string => windows[0]?.timezone ?? "UTC";
