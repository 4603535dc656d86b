import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleAlert } from "../../testing/alerts.js";
import { execInput, execVariables, MAX_TEXT_VARIABLE_CHARS } from "./exec-input.js";
import { renderText } from "../render-text.js";

test("stdin holds the message as text and every alert with ISO times", () => {
  const alert = sampleAlert({ incident: { id: "trader@1795748049000", since: 1795748049000, durationMs: 372_000 } });
  const input = execInput([alert]);
  assert.equal(input.version, 1);
  assert.deepEqual([input.title, input.text], [alert.title, renderText([alert]).body]);
  assert.deepEqual(input.alerts[0], {
    id: alert.id, kind: "restarted", severity: "warning", service: "trader", host: "testhost",
    at: "2026-11-28T03:00:01.000Z", title: alert.title, message: alert.message, details: alert.details, evidence: alert.evidence,
    incident: { id: "trader@1795748049000", since: "2026-11-27T02:54:09.000Z", durationMs: 372_000 },
  });
  assert.equal(execInput([sampleAlert({ incident: null })]).alerts[0]?.incident, null);
});

test("a digest's severity is its most urgent, its service the one they share or none", () => {
  const resolved = sampleAlert({ kind: "recovered", severity: "resolved" });
  assert.equal(execVariables([resolved, sampleAlert()]).LIFEGUARD_ALERT_SEVERITY, "warning");
  assert.equal(execVariables([resolved, sampleAlert()]).LIFEGUARD_ALERT_SERVICE, "trader");
  assert.equal(execVariables([resolved, sampleAlert({ service: "other" })]).LIFEGUARD_ALERT_SERVICE, "");
});

test("a text too long for one environment variable is cut; stdin keeps it whole", () => {
  const long = sampleAlert({ message: "x".repeat(MAX_TEXT_VARIABLE_CHARS * 2) });
  const text = execVariables([long]).LIFEGUARD_ALERT_TEXT ?? "";
  assert.equal(text.length, MAX_TEXT_VARIABLE_CHARS);
  assert.equal(text.endsWith("…"), true);
  assert.equal(execInput([long]).text, renderText([long]).body);
});
