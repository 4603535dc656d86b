import { test } from "node:test";
import assert from "node:assert/strict";
import type { Alert } from "../core/alert.js";
import { formatLocalTime } from "../process/local-time.js";
import { sampleAlert } from "../testing/alerts.js";
import { renderEvidence, renderText } from "./render-text.js";

// Times are rendered in local time: the expected strings use the same formatter.
const AT = Date.UTC(2026, 10, 28, 3, 0, 1);
const MINUTE = 60_000;

/** An alert of `kind` at `AT + minutes`, its title and message naming both. */
const alertAt = (minutes: number, kind: Alert["kind"], overrides: Partial<Alert> = {}): Alert =>
  sampleAlert({ kind, at: AT + minutes * MINUTE, title: `${kind} at +${minutes}m`, message: `Message ${minutes}`, details: [`Detail ${minutes}`], ...overrides });

test("renderText renders one alert as its title and a body of message, details, evidence and footer", () => {
  assert.deepEqual(renderText([sampleAlert()]), {
    title: 'Restarted "trader" on testhost',
    body: [
      '"trader" restarted (reason: log-fresh), 1 of 3 in the last 1h',
      "",
      "Reason: log-fresh",
      "Restarts: 1 of 3 in the last 1h",
      "",
      '✓ running: Service "trader" is active',
      "✗ log-fresh: Log file is stale (6m 12s old, max 5m)",
      "    Last write: 2026-11-28 02:53:49",
      "✗ log-activity: No recent activity: 0 lines matching VIX|Position in last 100",
      "    [02:53:49] Update: VIX 14.2",
      "",
      `Host: testhost · ${formatLocalTime(AT)} · incident trader@1795748049000`,
    ].join("\n"),
  });
});

test("renderText leaves out empty details and evidence, and the incident when there is none", () => {
  const { body } = renderText([sampleAlert({ details: [], evidence: [], incident: null, message: "Watching 2 services" })]);
  assert.equal(body, `Watching 2 services\n\nHost: testhost · ${formatLocalTime(AT)}`);
});

test("renderText says how long a closed incident lasted", () => {
  const incident = { id: "trader@1795748049000", since: 1795748049000, durationMs: 4 * MINUTE + 12_000 };
  const { body } = renderText([sampleAlert({ kind: "recovered", details: [], evidence: [], incident })]);
  assert.equal(body.split("\n").at(-1), `Host: testhost · ${formatLocalTime(AT)} · incident trader@1795748049000 (down 4m12s)`);
});

test("renderEvidence marks a failing and a passing check and indents its lines", () => {
  assert.equal(renderEvidence({ check: "log-fresh", ok: false, summary: "Log file is stale", lines: ["Cause: ENOENT", "line two"] }), "✗ log-fresh: Log file is stale\n    Cause: ENOENT\n    line two");
  assert.equal(renderEvidence({ check: "running", ok: true, summary: "Service is active", lines: [] }), "✓ running: Service is active");
});

test("renderText folds several alerts into one digest, oldest first", () => {
  const alerts = [alertAt(0, "restarted"), alertAt(1, "restarted"), alertAt(2, "gave-up", { details: [] })];
  assert.deepEqual(renderText(alerts), {
    title: "Lifeguard on testhost: 3 alerts (restarted ×2, gave-up)",
    body: [
      "3 alerts could not be sent one by one (an outage, or a service flapping); here they are, oldest first.",
      "",
      `[${formatLocalTime(AT)}] restarted at +0m`,
      "Message 0",
      "Detail 0",
      "",
      `[${formatLocalTime(AT + MINUTE)}] restarted at +1m`,
      "Message 1",
      "Detail 1",
      "",
      `[${formatLocalTime(AT + 2 * MINUTE)}] gave-up at +2m`,
      "Message 2",
    ].join("\n"),
  });
});

test("renderText's digest title names at most three kinds, and the host only when there is one", () => {
  const kinds: Array<Alert["kind"]> = ["restarted", "restart-failed", "gave-up", "recovered", "recovered"];
  const many = kinds.map((kind, index) => alertAt(index, kind));
  assert.equal(renderText(many).title, "Lifeguard on testhost: 5 alerts (restarted, restart-failed, gave-up, ...)");
  const twoHosts = [alertAt(0, "restarted"), alertAt(1, "restarted", { host: "other" })];
  assert.equal(renderText(twoHosts).title, "Lifeguard: 2 alerts (restarted ×2)");
});

test("renderText refuses an empty list", () => {
  assert.throws(() => renderText([]), { message: "renderText needs at least one alert" });
});
