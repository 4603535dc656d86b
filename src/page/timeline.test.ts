import { test } from "node:test";
import assert from "node:assert/strict";
import type { EventKind } from "../core/policy.js";
import { buildTimeline, type TimelineNow } from "./timeline.js";

const MINUTE = 60_000;
const TO = Date.UTC(2024, 10, 30, 21, 0, 0);
const WINDOW = { from: TO - 24 * 60 * MINUTE, to: TO };
/** Watched since before the window, and still: each band below is a health, none unknown. */
const WATCHED = { watchedFrom: TO - 48 * 60 * MINUTE, unwatchedSince: null };
const HEALTHY_NOW: TimelineNow = { health: "healthy", control: null, changedAt: null, ...WATCHED };

/** An event `minutesAgo` before the window's end. */
const event = (kind: EventKind, minutesAgo: number, data: Record<string, unknown> = {}) => ({ kind, at: TO - minutesAgo * MINUTE, data });
/** The bands as `kind from-to` in minutes before the end, for reading. */
const bands = (timeline: ReturnType<typeof buildTimeline>) => timeline.bands.map((band) => `${band.kind} ${(TO - band.from) / MINUTE}-${(TO - band.to) / MINUTE}`);

test("no history: the state now spans the whole day", () => {
  assert.deepEqual(bands(buildTimeline([], [], HEALTHY_NOW, WINDOW)), ["healthy 1440-0"]);
  assert.deepEqual(bands(buildTimeline([], [], { health: "gave-up", control: null, changedAt: TO - 3 * 24 * 60 * MINUTE, ...WATCHED }, WINDOW)), ["gave-up 1440-0"]);
});

test("a crash, its restart and the recovery: failing, restarting, healthy bands in order, and one mark", () => {
  const events = [event("failing", 61), event("restart", 60), event("restarted", 59), event("recovered", 50)];
  const timeline = buildTimeline(events, [{ at: TO - 60 * MINUTE, ok: true, requested: false }], HEALTHY_NOW, WINDOW);
  assert.deepEqual(bands(timeline), ["healthy 1440-61", "failing 61-60", "restarting 60-59", "healthy 59-0"]);
  assert.deepEqual(timeline.marks, [{ at: TO - 60 * MINUTE, ok: true, requested: false }]);
});

test("events of one round share its time: replayed in the order written, a crash answered at once starts the day healthy", () => {
  const crash = [event("failing", 60), event("restart", 60), event("restarted", 60)];
  assert.deepEqual(bands(buildTimeline(crash, [], HEALTHY_NOW, WINDOW)), ["healthy 1440-0"]);
  assert.deepEqual(bands(buildTimeline([...crash, event("failing", 30), event("restart", 30)], [], { health: "restarting", control: null, changedAt: null, ...WATCHED }, WINDOW)), ["healthy 1440-30", "restarting 30-0"]);
});

test("the state before the window's first event is what that event tells: a recovery was failing before, a reset of a gave-up gave up", () => {
  assert.deepEqual(bands(buildTimeline([event("recovered", 100)], [], HEALTHY_NOW, WINDOW)), ["failing 1440-100", "healthy 100-0"]);
  const reset = [event("reset", 30, { wasGaveUp: true }), event("failing", 20)];
  assert.deepEqual(bands(buildTimeline(reset, [], { health: "failing", control: null, changedAt: TO - 20 * MINUTE, ...WATCHED }, WINDOW)), ["gave-up 1440-30", "healthy 30-20", "failing 20-0"]);
  // An alert-only recovery tells nothing of the service's health: it was as it is now.
  assert.deepEqual(bands(buildTimeline([event("recovered", 100, { alertOnly: true })], [], HEALTHY_NOW, WINDOW)), ["healthy 1440-0"]);
});

test("gave-up holds until a reset; a restart that failed is failing again", () => {
  const events = [event("failing", 300), event("restart", 299), event("restart-failed", 298), event("gave-up", 290), event("reset", 100, { wasGaveUp: true }), event("recovered", 99)];
  assert.deepEqual(bands(buildTimeline(events, [], HEALTHY_NOW, WINDOW)), ["healthy 1440-300", "failing 300-299", "restarting 299-298", "failing 298-290", "gave-up 290-100", "healthy 100-0"]);
});

test("a pause and a stop are drawn over the health, and end with resume, pause-ended or start", () => {
  const events = [event("paused", 600), event("failing", 590), event("resumed", 500, { was: "paused" }), event("recovered", 490), event("stopped", 300), event("started", 200, { wasStopped: true }), event("paused", 100), event("pause-ended", 40)];
  assert.deepEqual(bands(buildTimeline(events, [], HEALTHY_NOW, WINDOW)), ["healthy 1440-600", "paused 600-500", "failing 500-490", "healthy 490-300", "stopped 300-200", "healthy 200-100", "paused 100-40", "healthy 40-0"]);
  // A pause that began before the window and still lasts: paused all day (no event moves the control).
  assert.deepEqual(bands(buildTimeline([event("failing", 30)], [], { health: "failing", control: "paused", changedAt: TO - 30 * MINUTE, ...WATCHED }, WINDOW)), ["paused 1440-0"]);
});

test("a restart a human asked for ends a stop and keeps a gave-up: its mark says it was asked for", () => {
  const events = [event("stopped", 300), event("restarted", 200, { requested: true, by: "root (cli)" })];
  const timeline = buildTimeline(events, [{ at: TO - 200 * MINUTE, ok: true, requested: true }], HEALTHY_NOW, WINDOW);
  assert.deepEqual(bands(timeline), ["healthy 1440-300", "stopped 300-200", "healthy 200-0"]);
  assert.deepEqual(bands(buildTimeline([event("restarted", 200, { requested: true })], [], { health: "gave-up", control: null, changedAt: null, ...WATCHED }, WINDOW)), ["gave-up 1440-0"]);
});

test("a blip that passed below the threshold leaves no event: the last band turns into the state now at the state's last change", () => {
  const timeline = buildTimeline([event("failing", 100)], [], { health: "healthy", control: null, changedAt: TO - 98 * MINUTE, ...WATCHED }, WINDOW);
  assert.deepEqual(bands(timeline), ["healthy 1440-100", "failing 100-98", "healthy 98-0"]);
});

test("events and restarts outside the window are left out", () => {
  const timeline = buildTimeline([event("failing", 2000), event("recovered", 1500)], [{ at: TO - 2000 * MINUTE, ok: false, requested: false }], HEALTHY_NOW, WINDOW);
  assert.deepEqual(bands(timeline), ["healthy 1440-0"]);
  assert.deepEqual(timeline.marks, []);
});

test("nothing is drawn as a health while nobody watched: before the first watch, and since the watcher stopped", () => {
  // Lifeguard first started 90 minutes ago: the day before is not known.
  const fresh = buildTimeline([], [], { ...HEALTHY_NOW, watchedFrom: TO - 90 * MINUTE }, WINDOW);
  assert.deepEqual(bands(fresh), ["unwatched 1440-90", "healthy 90-0"]);
  // An event earlier than the present watcher's start was seen by an earlier one: known from then.
  assert.deepEqual(bands(buildTimeline([event("failing", 300), event("recovered", 290)], [], { ...HEALTHY_NOW, watchedFrom: TO - 90 * MINUTE }, WINDOW)), ["unwatched 1440-300", "failing 300-290", "healthy 290-0"]);
  // A state stored before the window (an earlier daemon, restarted 90 minutes ago) was watched then.
  assert.deepEqual(bands(buildTimeline([], [], { ...HEALTHY_NOW, changedAt: TO - 3 * 24 * 60 * MINUTE, watchedFrom: TO - 90 * MINUTE }, WINDOW)), ["healthy 1440-0"]);
  // The daemon stopped 20 minutes ago (or was killed): since then, not watched, whatever the last state.
  const stopped = buildTimeline([event("failing", 60), event("restart", 60), event("restarted", 59)], [], { ...HEALTHY_NOW, unwatchedSince: TO - 20 * MINUTE }, WINDOW);
  assert.deepEqual(bands(stopped), ["healthy 1440-60", "restarting 60-59", "healthy 59-20", "unwatched 20-0"]);
  // Never watched at all.
  assert.deepEqual(bands(buildTimeline([], [], { ...HEALTHY_NOW, watchedFrom: null, unwatchedSince: WINDOW.from }, WINDOW)), ["unwatched 1440-0"]);
});
