import { DAY_MS, MINUTE_MS } from "./civil.js";
import { isInside, unchangedUntil, type ScheduleWindow } from "./window.js";

/** How far ahead the next change is looked for: beyond it, a window that never changes says so (null). */
export const LOOK_AHEAD_MS = 400 * DAY_MS;

/** Where a list of windows stands at one instant: inside one of them or not, and until when. */
export interface WindowState {
  inside: boolean;
  /** The first minute at which `inside` turns, or null when it does not within `LOOK_AHEAD_MS`. */
  until: number | null;
}

/** Inside when any of the windows is (a list of windows is their union). */
export function isInsideAny(windows: readonly ScheduleWindow[], at: number): boolean {
  return windows.some((window) => isInside(window, at));
}

/**
 * Where the windows stand at `at` and when that changes: the pure answer to "which window applies
 * now and when does the next one start". Minute by minute in meaning, by jumps in cost.
 */
export function windowStateAt(windows: readonly ScheduleWindow[], at: number): WindowState {
  const start = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  // The answer holds from the minute it was made until its change: a daemon's rounds reuse it.
  const known = answers.get(windows);
  if (known !== undefined && start >= known.from && start < (known.state.until ?? known.from + DAY_MS)) return known.state;
  const state = lookAhead(windows, start);
  answers.set(windows, { from: start, state });
  return state;
}

const answers = new WeakMap<readonly ScheduleWindow[], { from: number; state: WindowState }>();

function lookAhead(windows: readonly ScheduleWindow[], start: number): WindowState {
  const inside = isInsideAny(windows, start);
  let cursor = start;
  while (cursor < start + LOOK_AHEAD_MS) {
    cursor = nextLook(windows, cursor, inside);
    if (isInsideAny(windows, cursor) !== inside) return { inside, until: cursor };
  }
  return { inside, until: null };
}

/** Inside, the union holds as long as its longest-lasting open window; outside, until the first window may open. */
function nextLook(windows: readonly ScheduleWindow[], cursor: number, inside: boolean): number {
  const holds = (inside ? windows.filter((window) => isInside(window, cursor)) : windows).map((window) => unchangedUntil(window, cursor));
  return inside ? Math.max(...holds) : Math.min(...holds);
}
