import { test } from "node:test";
import assert from "node:assert/strict";
import type { Alert } from "../../core/alert.js";
import { sampleAlert } from "../../testing/alerts.js";
import { alertOnlyCheck, FIRING_WINDOW_MS, toAlertmanagerAlerts, type PostableAlert } from "./alertmanager-alerts.js";
import { renderText } from "../render-text.js";

const SINCE = Date.UTC(2026, 10, 28, 2, 53, 49);
const AT = Date.UTC(2026, 10, 28, 3, 0, 1);
const LATER = AT + 4 * 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const incident = { id: `trader@${SINCE}`, since: SINCE };
const SERVICE_LABELS = { alertname: "LifeguardServiceProblem", service: "trader", host: "testhost" };

function one(alert: Alert, labels: Record<string, string> = {}): PostableAlert {
  const mapped = toAlertmanagerAlerts([alert], labels);
  assert.equal(mapped.length, 1);
  return mapped[0] as PostableAlert;
}

test("a restart fires the service's incident as a warning for an hour, the story in its annotations", () => {
  const alert = sampleAlert({ at: AT, incident });
  assert.deepEqual(one(alert), {
    labels: { ...SERVICE_LABELS, severity: "warning" },
    annotations: {
      summary: 'Restarted "trader" on testhost',
      description: renderText([alert]).body,
      lifeguard_kind: "restarted",
      lifeguard_id: "lifeguard-testhost-1",
      incident: `trader@${SINCE}`,
    },
    startsAt: iso(SINCE),
    endsAt: iso(AT + FIRING_WINDOW_MS.handled),
  });
});

test("what Lifeguard cannot fix fires critical for a week, until a recovered or a reminder says otherwise", () => {
  for (const kind of ["gave-up", "restart-failed", "reminder"] as const) {
    const mapped = one(sampleAlert({ kind, severity: "critical", at: AT, incident }));
    assert.deepEqual(mapped.labels, { ...SERVICE_LABELS, severity: "critical" }, kind);
    assert.equal(mapped.endsAt, iso(AT + FIRING_WINDOW_MS.open), kind);
    assert.equal(mapped.annotations.lifeguard_kind, kind);
  }
});

test("a re-armed service stays a warning of its incident for an hour", () => {
  const mapped = one(sampleAlert({ kind: "rearmed", severity: "info", at: AT, incident }));
  assert.deepEqual(mapped.labels, { ...SERVICE_LABELS, severity: "warning" });
  assert.equal(mapped.endsAt, iso(AT + FIRING_WINDOW_MS.handled));
});

test("recovered resolves both severities of the incident with exactly the labels they fired with", () => {
  const fired = [one(sampleAlert({ at: AT, incident })), one(sampleAlert({ kind: "gave-up", severity: "critical", at: AT, incident }))];
  const resolved = toAlertmanagerAlerts([sampleAlert({ kind: "recovered", severity: "resolved", at: LATER, evidence: [], incident: { ...incident, durationMs: LATER - SINCE } })], {});
  assert.deepEqual(resolved.map((alert) => alert.labels), fired.map((alert) => alert.labels));
  for (const alert of resolved) {
    assert.equal(alert.startsAt, iso(SINCE));
    assert.equal(alert.endsAt, iso(LATER));
    assert.equal(alert.annotations.lifeguard_kind, "recovered");
  }
});

test("an alert-only check is an incident of its own, named by a check label, resolved by the check's recovered", () => {
  const checkIncident = { id: `trader/memory@${SINCE}`, since: SINCE };
  const failing = one(sampleAlert({ kind: "alert-only", severity: "warning", at: AT, incident: checkIncident }));
  assert.deepEqual(failing.labels, { alertname: "LifeguardCheckFailing", service: "trader", check: "memory", host: "testhost", severity: "warning" });
  assert.equal(failing.endsAt, iso(AT + FIRING_WINDOW_MS.open));
  const passing = toAlertmanagerAlerts([sampleAlert({ kind: "recovered", severity: "resolved", at: LATER, evidence: [], incident: checkIncident })], {});
  assert.deepEqual(passing, [{ ...failing, annotations: passing[0]?.annotations ?? {}, endsAt: iso(LATER) }]);
});

test("a check that cannot observe is an incident of that check, open until its observed", () => {
  const checkIncident = { id: `trader/log-activity@${SINCE}`, since: SINCE };
  const blind = one(sampleAlert({ kind: "unobserved", severity: "warning", at: AT, incident: checkIncident }));
  assert.deepEqual(blind.labels, { alertname: "LifeguardCheckFailing", service: "trader", check: "log-activity", host: "testhost", severity: "warning" });
  assert.equal(blind.endsAt, iso(AT + FIRING_WINDOW_MS.open));
  const seeing = toAlertmanagerAlerts([sampleAlert({ kind: "observed", severity: "resolved", at: LATER, incident: checkIncident })], {});
  assert.deepEqual(seeing, [{ ...blind, annotations: seeing[0]?.annotations ?? {}, endsAt: iso(LATER) }]);
});

test("the store's trouble is an incident of its own: never Lifeguard stopped, resolved when the history is recorded again", () => {
  const own = { kind: "store" as const, service: null, evidence: [], details: [], incident: null };
  const full = one(sampleAlert({ ...own, severity: "warning", at: AT }));
  assert.deepEqual(full.labels, { alertname: "LifeguardStoreProblem", host: "testhost", severity: "warning" });
  assert.equal(full.endsAt, iso(AT + FIRING_WINDOW_MS.open));
  // Alertmanager matches an alert by its labels: the same labels, ended now, close the incident.
  const recorded = one(sampleAlert({ ...own, severity: "resolved", at: LATER }));
  assert.deepEqual(recorded.labels, full.labels);
  assert.equal(recorded.endsAt, iso(LATER));
  const started = one(sampleAlert({ ...own, kind: "lifeguard-started", severity: "info", at: LATER }));
  assert.equal(started.labels.alertname, "LifeguardStopped", "Lifeguard's start does not close the store's incident");
});

test("the check is read from the incident id whatever the service name holds", () => {
  const since = 1795748049000;
  const alert = (id: string) => sampleAlert({ service: "bot@2", incident: { id, since } });
  assert.equal(alertOnlyCheck(alert(`bot@2/log-fresh@${since}`), "bot@2"), "log-fresh");
  assert.equal(alertOnlyCheck(alert(`bot@2@${since}`), "bot@2"), null);
  assert.equal(alertOnlyCheck(sampleAlert({ incident: null }), "trader"), null);
});

test("Lifeguard stopping fires LifeguardStopped without a service, and starting resolves the same labels", () => {
  const own = { service: null, severity: "info" as const, evidence: [], details: [], incident: null };
  const stopped = one(sampleAlert({ ...own, kind: "lifeguard-stopped", at: AT }));
  const started = one(sampleAlert({ ...own, kind: "lifeguard-started", at: LATER }));
  assert.deepEqual(stopped.labels, { alertname: "LifeguardStopped", host: "testhost", severity: "info" });
  assert.equal(stopped.startsAt, iso(AT));
  assert.equal(stopped.endsAt, iso(AT + FIRING_WINDOW_MS.open));
  assert.deepEqual(started.labels, stopped.labels);
  assert.deepEqual([started.startsAt, started.endsAt], [iso(LATER), iso(LATER)]);
});

test("a test alert fires LifeguardTest for five minutes", () => {
  const mapped = one(sampleAlert({ kind: "test", severity: "info", service: null, at: AT, incident: null, evidence: [] }));
  assert.deepEqual(mapped.labels, { alertname: "LifeguardTest", host: "testhost", severity: "info" });
  assert.equal(mapped.endsAt, iso(AT + FIRING_WINDOW_MS.test));
  assert.equal("incident" in mapped.annotations, false);
});

test("the config's labels are added and Lifeguard's own win", () => {
  const mapped = one(sampleAlert({ at: AT, incident }), { env: "prod", service: "spoofed", alertname: "Other", instance: "pi:9473" });
  assert.deepEqual(mapped.labels, { env: "prod", instance: "pi:9473", ...SERVICE_LABELS, severity: "warning" });
});

test("a digest maps every alert in order, oldest first, so the last one for the same labels counts", () => {
  const digest = [
    sampleAlert({ id: "a", at: AT, incident }),
    sampleAlert({ id: "b", kind: "recovered", severity: "resolved", at: LATER, incident }),
    sampleAlert({ id: "c", at: LATER + 60_000, incident: { id: `trader@${LATER + 30_000}`, since: LATER + 30_000 } }),
  ];
  const mapped = toAlertmanagerAlerts(digest, {});
  assert.deepEqual(mapped.map((alert) => [alert.annotations.lifeguard_id, alert.labels.severity]), [["a", "warning"], ["b", "warning"], ["b", "critical"], ["c", "warning"]]);
});
