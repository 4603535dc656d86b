import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Alert } from "../../core/alert.js";
import { systemClock } from "../../process/system-clock.js";
import { createFakeClock } from "../../testing/fake-clock.js";
import { sampleAlert } from "../../testing/alerts.js";
import { alertmanagerSkipReason, startAlertmanagerLab, type AlertmanagerLab } from "../../testing/alertmanager-lab.js";
import { alertmanagerConfig, startAlertmanagerReceiver, type AlertmanagerReceiver } from "../../testing/alertmanager-receiver.js";
import { waitFor } from "../../testing/wait-for.js";
import { createChannel } from "../registry.js";
import { createAlertmanagerSender, errorText } from "./alertmanager.js";

const MINUTE = 60_000;
const SECRET = "Bearer s3cret-proxy-token";
const skip = alertmanagerSkipReason();
const deps = { clock: systemClock };

async function lab(t: TestContext): Promise<AlertmanagerLab> {
  const started = await startAlertmanagerLab();
  t.after(() => started.stop());
  return started;
}

async function receiver(t: TestContext, upstream?: string): Promise<AlertmanagerReceiver> {
  const started = await startAlertmanagerReceiver(upstream === undefined ? {} : { upstream });
  t.after(() => started.close());
  return started;
}

/** Alerts of now: Alertmanager judges `endsAt` by its own clock. */
function recent(overrides: Partial<Alert> = {}): Alert {
  const now = Date.now();
  return sampleAlert({ at: now, incident: { id: `trader@${now - 10 * MINUTE}`, since: now - 10 * MINUTE }, ...overrides });
}

const never = new AbortController().signal;

test("a firing alert is in Alertmanager with Lifeguard's labels and annotations, active", { skip }, async (t) => {
  const am = await lab(t);
  const alert = recent();
  const finding = await createAlertmanagerSender(alertmanagerConfig(am.url), deps)([alert], never);
  assert.deepEqual([finding.ok, finding.summary], [true, `Sent 1 alert to Alertmanager at ${new URL(am.url).host}`]);
  const [stored, ...rest] = await am.alerts();
  assert.equal(rest.length, 0);
  assert.deepEqual(stored?.labels, { alertname: "LifeguardServiceProblem", service: "trader", host: "testhost", severity: "warning" });
  assert.equal(stored?.annotations.summary, 'Restarted "trader" on testhost');
  assert.equal(stored?.annotations.lifeguard_kind, "restarted");
  assert.equal(stored?.annotations.incident, alert.incident?.id);
  assert.match(stored?.annotations.description ?? "", /restarted \(reason: log-fresh\)/);
  assert.equal(stored?.status.state, "active");
  assert.equal(Date.parse(stored?.startsAt ?? ""), alert.incident?.since);
});

test("recovered resolves the incident: Alertmanager lists it no more, under any filter", { skip }, async (t) => {
  const am = await lab(t);
  const send = createAlertmanagerSender(alertmanagerConfig(am.url), deps);
  const fired = recent({ kind: "gave-up", severity: "critical" });
  assert.equal((await send([recent(), fired], never)).ok, true);
  assert.deepEqual((await am.alerts()).map((alert) => alert.labels.severity).sort(), ["critical", "warning"]);
  const recovered = recent({ kind: "recovered", severity: "resolved", evidence: [], incident: fired.incident });
  assert.equal((await send([recovered], never)).ok, true);
  assert.deepEqual(await am.alerts(), []);
  assert.deepEqual(await am.alerts("?active=false&silenced=true&inhibited=true&unprocessed=true"), []);
});

test("the config's labels reach Alertmanager and the config's headers are sent", { skip }, async (t) => {
  const am = await lab(t);
  const front = await receiver(t, am.url);
  const config = front.config({ labels: { env: "prod", service: "spoofed" }, headers: { authorization: SECRET } });
  assert.equal((await createAlertmanagerSender(config, deps)([recent()], never)).ok, true);
  assert.deepEqual((await am.alerts())[0]?.labels, { env: "prod", alertname: "LifeguardServiceProblem", service: "trader", host: "testhost", severity: "warning" });
  assert.equal(front.received[0]?.headers.authorization, SECRET);
  assert.equal(front.received[0]?.path, "/api/v2/alerts");
});

test("a digest is one POST of every alert, oldest first; Alertmanager keeps the last state of each", { skip }, async (t) => {
  const am = await lab(t);
  const front = await receiver(t, am.url);
  const own = { service: null, severity: "info" as const, evidence: [], details: [], incident: null };
  const digest = [recent({ id: "a" }), recent({ id: "b", ...own, kind: "lifeguard-stopped" }), recent({ id: "c", kind: "recovered", severity: "resolved" })];
  const finding = await createAlertmanagerSender(front.config(), deps)(digest, never);
  assert.deepEqual([finding.ok, finding.summary], [true, `Sent 4 alerts to Alertmanager at ${new URL(front.url).host}`]);
  assert.equal(front.received.length, 1);
  assert.deepEqual(front.received[0]?.alerts.map((alert) => alert.annotations.lifeguard_id), ["a", "b", "c", "c"]);
  assert.deepEqual((await am.alerts()).map((alert) => alert.labels.alertname), ["LifeguardStopped"]);
});

test("a path Alertmanager does not serve is a permanent failure with its error", { skip }, async (t) => {
  const am = await lab(t);
  const finding = await createAlertmanagerSender(alertmanagerConfig(`${am.url}/prefix`), deps)([recent()], never);
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, true);
  assert.match(finding.summary, /^Cannot send to Alertmanager at 127\.0\.0\.1:\d+ as it answered 404 Not Found/);
  assert.equal(finding.evidence.status, 404);
});

test("a 400 is permanent, with Alertmanager's message and never a header value", async (t) => {
  const front = await receiver(t);
  front.behave({ kind: "reject", message: "start time must be before end time" });
  const channel = createChannel(front.config({ headers: { authorization: SECRET } }), deps);
  const delivery = await channel.send([recent()], never);
  const host = new URL(front.url).host;
  assert.equal(delivery.summary, `Cannot send to Alertmanager at ${host} as it answered 400 Bad Request: start time must be before end time`);
  assert.equal(delivery.permanent, true);
  assert.equal(JSON.stringify(delivery).includes("s3cret"), false);
  assert.equal(front.received[0]?.headers.authorization, SECRET);
});

test("a 503 is temporary and its Retry-After is honoured", async (t) => {
  const front = await receiver(t);
  const send = createAlertmanagerSender(front.config(), deps);
  front.behave({ kind: "fail", retryAfterSeconds: 120 });
  const asked = await send([recent()], never);
  assert.deepEqual([asked.ok, asked.permanent, asked.retryAfterMs], [false, undefined, 120_000]);
  assert.match(asked.summary, /as it answered 503 Service Unavailable: Service Unavailable$/);
  front.behave({ kind: "fail" });
  const plain = await send([recent()], never);
  assert.deepEqual([plain.ok, plain.permanent, plain.retryAfterMs], [false, undefined, undefined]);
});

test("a refused connection is temporary", async (t) => {
  const front = await receiver(t);
  const config = await front.refusedConfig();
  const finding = await createAlertmanagerSender(config, deps)([recent()], never);
  assert.deepEqual([finding.ok, finding.permanent], [false, undefined]);
  assert.equal(finding.summary, `Cannot send to Alertmanager at ${new URL(config.url).host} as the connection was refused (ECONNREFUSED)`);
});

test("a server that never answers is let go when the signal aborts, and the channel times out", async (t) => {
  const front = await receiver(t);
  front.behave({ kind: "hang" });
  const controller = new AbortController();
  const pending = createAlertmanagerSender(front.config(), deps)([recent()], controller.signal);
  assert.equal(await waitFor(() => front.received.length === 1), true);
  controller.abort();
  const finding = await pending;
  assert.deepEqual([finding.ok, finding.summary], [false, `Cannot send to Alertmanager at ${new URL(front.url).host} as it did not answer in time`]);

  const clock = createFakeClock();
  const channel = createChannel(front.config({ timeoutMs: 10_000 }), { clock });
  const delivery = channel.send([recent()], never);
  assert.equal(await waitFor(() => front.received.length === 2), true);
  clock.advance(10_000);
  assert.deepEqual([(await delivery).ok, (await delivery).timedOut], [false, true]);
});

test("Alertmanager's error bodies become one line", () => {
  assert.equal(errorText('"start time must be before end time"'), "start time must be before end time");
  assert.equal(errorText('{"code":400,"message":"parsing alerts body failed"}'), "parsing alerts body failed");
  assert.equal(errorText("<html>\n  Bad gateway\n</html>"), "<html> Bad gateway </html>");
  assert.equal(errorText(""), "");
});
