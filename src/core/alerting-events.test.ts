import { test } from "node:test";
import assert from "node:assert/strict";
import { ALERTING_EVENTS, alertsHuman } from "./alerting-events.js";
import type { EventKind } from "./policy.js";

// Every EventKind, listed by hand: a new kind fails this test until it is placed in the table.
const EXPECTED: Record<EventKind, boolean> = {
  failing: false,
  restart: false,
  restarted: true,
  "restart-failed": true,
  backoff: false,
  "quiet-hold": true,
  "gave-up": true,
  recovered: true,
  "alert-only": true,
  unobserved: true,
  observed: true,
  rearmed: true,
  reset: false,
  replaced: false,
  stopped: false,
  started: false,
  paused: false,
  resumed: false,
  "pause-ended": true,
  acknowledged: false,
  "request-failed": false,
};

test("ALERTING_EVENTS names every event kind and which of them alert a human", () => {
  assert.deepEqual(ALERTING_EVENTS, EXPECTED);
});

test("alertsHuman reads the table for every kind", () => {
  for (const [kind, alerts] of Object.entries(EXPECTED)) assert.equal(alertsHuman(kind as EventKind), alerts, kind);
});
