import { formatDuration } from "../core/duration.js";
import { formatLocalTime } from "../process/local-time.js";
import { html, type Html } from "./html.js";
import type { BandKind, Timeline } from "./timeline.js";

/** The words of each band, for its tooltip and the legend. */
export const BAND_LABELS: Readonly<Record<BandKind, string>> = {
  healthy: "healthy",
  failing: "failing",
  restarting: "restarting",
  "gave-up": "gave up",
  paused: "paused",
  stopped: "stopped",
  unwatched: "not watched",
};

const HOUR = 3_600_000;
/** Hours between the axis' ticks: 8 labels fit a phone's width. */
const TICK_HOURS = 3;
/** No tick this close to either end (% of the width), where the end labels are. */
const EDGE_MARGIN = 11;

/**
 * The timeline as inline SVG: bands, restart marks and a time axis in the machine's local time.
 * Positions are percentages of the width and the SVG has no viewBox, so it stretches to any screen
 * while its text keeps its size. Each band and mark has a tooltip (`<title>`): no script needed.
 */
export function renderTimeline(timeline: Timeline, service: string): Html {
  const { from, to } = timeline;
  const x = (at: number): string => `${(((at - from) / (to - from)) * 100).toFixed(3)}%`;
  // A time of another day than the window's end says which (a band from yesterday).
  const clock = (at: number): string => (formatLocalTime(at).slice(0, 10) === formatLocalTime(to).slice(0, 10) ? formatLocalTime(at).slice(11, 16) : formatLocalTime(at).slice(5, 16));
  const bands = timeline.bands.map((band) => {
    const width = `${(((band.to - band.from) / (to - from)) * 100).toFixed(3)}%`;
    const title = `${BAND_LABELS[band.kind]} ${clock(band.from)}–${band.to === to ? "now" : clock(band.to)} (${formatDuration(band.to - band.from)})`;
    return html`<rect class="band ${band.kind}" x="${x(band.from)}" y="8" width="${width}" height="22"><title>${title}</title></rect>`;
  });
  const marks = timeline.marks.map((mark) => {
    const title = `${mark.requested ? "restart asked for" : "restart"} at ${formatLocalTime(mark.at)}: ${mark.ok ? "it worked" : "it failed"}`;
    const kind = mark.ok ? "ok" : "failed";
    return html`<g class="mark ${kind}"><title>${title}</title><line x1="${x(mark.at)}" x2="${x(mark.at)}" y1="4" y2="34"/><circle cx="${x(mark.at)}" cy="5" r="4"/></g>`;
  });
  const ticks = tickTimes(from, to).map((at) => html`<line class="tick" x1="${x(at)}" x2="${x(at)}" y1="30" y2="36"/><text x="${x(at)}" y="48" text-anchor="middle">${clock(at)}</text>`);
  const restarts = timeline.marks.length === 1 ? "1 restart" : `${timeline.marks.length} restarts`;
  const hours = `${Math.round((to - from) / HOUR)}h`;
  // `&minus;`, not the character: see renderRestart (render-service.ts).
  return html`<svg class="timeline" width="100%" height="52" role="img" aria-label="${`The last ${hours} of "${service}": ${restarts}`}">${bands}${marks}${ticks}<text x="0" y="48">&minus;${hours}</text><text x="100%" y="48" text-anchor="end">now</text></svg>`;
}

/** Whole local hours divisible by TICK_HOURS between `from` and `to`, away from the ends. */
function tickTimes(from: number, to: number): number[] {
  const tick = new Date(from);
  tick.setMinutes(0, 0, 0);
  const times: number[] = [];
  while (tick.getTime() < to) {
    const at = tick.getTime();
    const place = ((at - from) / (to - from)) * 100;
    if (tick.getHours() % TICK_HOURS === 0 && place > EDGE_MARGIN && place < 100 - EDGE_MARGIN) times.push(at);
    tick.setHours(tick.getHours() + 1);
  }
  return times;
}
