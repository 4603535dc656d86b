import { test } from "node:test";
import assert from "node:assert/strict";
import type { AlertBody } from "./alert-compose.js";
import { DEFAULT_ALERTING as ALERTING, sampleAlert } from "../testing/alerts.js";
import { draftAlerts } from "./alert-drafts.js";

const body = (overrides: Partial<AlertBody> = {}): AlertBody => {
  const { id: _id, ...alert } = sampleAlert();
  return { ...alert, ...overrides };
};

const keyOf = (alert: AlertBody): string => draftAlerts([alert], ["phone"], ALERTING)[0]?.dedupeKey ?? assert.fail("no draft");

test("draftAlerts gives identical alerts the same dedupe key, even at other times", () => {
  assert.equal(keyOf(body()), keyOf(body({ at: body().at + 60_000, evidence: [], details: ["Other detail"] })));
});

test("draftAlerts gives a different dedupe key to another service, kind or message", () => {
  const key = keyOf(body());
  assert.notEqual(keyOf(body({ service: "scanner" })), key);
  assert.notEqual(keyOf(body({ service: null })), key);
  assert.notEqual(keyOf(body({ kind: "restart-failed" })), key);
  // A restart's message carries its count, so the second restart is news.
  assert.notEqual(keyOf(body({ message: '"trader" restarted (reason: log-fresh), 2 of 3 in the last 1h' })), key);
});

test("draftAlerts sets each draft's expiry, noise settings and channels from the config", () => {
  const alerts = [body(), body({ at: body().at + 1000 })];
  const channels = ["phone", "mail"];
  const drafts = draftAlerts(alerts, channels, ALERTING);
  assert.equal(drafts.length, 2);
  drafts.forEach((draft, index) => {
    const alert = alerts[index] as AlertBody;
    assert.equal(draft.alert, alert);
    assert.equal(draft.expiresAt, alert.at + 86_400_000);
    assert.equal(draft.dedupeMs, 600_000);
    assert.deepEqual(draft.flapping, { max: 4, perMs: 900_000 });
    assert.deepEqual(draft.channels, ["phone", "mail"]);
  });
});

test("draftAlerts makes no drafts of no alerts", () => {
  assert.deepEqual(draftAlerts([], ["phone"], ALERTING), []);
});
