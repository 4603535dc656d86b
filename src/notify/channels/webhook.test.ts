import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { WebhookChannelConfig } from "../../config/types.js";
import type { Alert } from "../../core/alert.js";
import { sampleAlert } from "../../testing/alerts.js";
import { createFakeClock } from "../../testing/fake-clock.js";
import { startWebhookReceiver, TEST_WEBHOOK_PATH, type WebhookReceiver } from "../../testing/webhook-receiver.js";
import type { SendFinding } from "../channel.js";
import { cutMarker } from "../fit-text.js";
import { renderText } from "../render-text.js";
import { DISCORD_CONTENT_LIMIT } from "./webhook-presets.js";
import { createWebhookSender } from "./webhook.js";

const NOW = Date.UTC(2026, 10, 28, 3, 0, 0);
const TOKEN = "Bearer tk_s3cret-header-value";
const TOPIC = "lifeguard-s3cret-topic";

async function receiver(t: TestContext): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver();
  t.after(() => started.close());
  return started;
}

function send(config: WebhookChannelConfig, alerts: readonly Alert[] = [sampleAlert()], signal = new AbortController().signal): Promise<SendFinding> {
  return createWebhookSender(config, { clock: createFakeClock(NOW) })(alerts, signal);
}

/** Nothing of the URL beyond its origin, of the topic or of a header value, anywhere in a result. */
function assertNoSecret(finding: SendFinding): void {
  const text = JSON.stringify(finding);
  for (const part of ["s3cret", TEST_WEBHOOK_PATH, "/hooks", "tk_"]) assert.ok(!text.includes(part), `the result shows "${part}": ${text}`);
}

test("webhook generic: one POST of the versioned payload with the full alerts, the idempotency key and JSON", async (t) => {
  const hook = await receiver(t);
  const alert = sampleAlert();
  const finding = await send(hook.config(), [alert]);
  assert.deepEqual(finding, { ok: true, summary: `Sent to the webhook at "${hook.origin}" (200 OK)`, evidence: { origin: hook.origin, preset: "generic", alerts: 1, status: 200 } });
  const [request] = hook.received;
  assert.equal(request?.method, "POST");
  assert.equal(request?.path, TEST_WEBHOOK_PATH);
  assert.equal(request?.headers["content-type"], "application/json");
  assert.equal(request?.headers["idempotency-key"], alert.id);
  const { title, body } = renderText([alert]);
  assert.deepEqual(request?.body, { version: 1, title, text: body, alerts: [JSON.parse(JSON.stringify(alert))] });
});

test("webhook: a digest is one POST whose idempotency key joins the alerts' ids", async (t) => {
  const hook = await receiver(t);
  const alerts = [sampleAlert({ id: "lifeguard-testhost-7" }), sampleAlert({ id: "lifeguard-testhost-8", kind: "gave-up", severity: "critical" })];
  assert.equal((await send(hook.config(), alerts)).ok, true);
  assert.equal(hook.requests.length, 1);
  assert.equal(hook.received[0]?.headers["idempotency-key"], "lifeguard-testhost-7,lifeguard-testhost-8");
  assert.equal((hook.received[0]?.body as { alerts: unknown[] }).alerts.length, 2);
});

test("webhook slack: { text } with the title in bold and &, <, > escaped as Slack requires", async (t) => {
  const hook = await receiver(t);
  const alert = sampleAlert({ title: "Restarted <trader> & co", message: "Log says <!channel> & <https://evil.example|click>" });
  const finding = await send(hook.config({ preset: "slack" }), [alert]);
  assert.equal(finding.summary, `Sent to Slack at "${hook.origin}" (200 OK)`);
  const text = (hook.received[0]?.body as { text: string }).text;
  assert.ok(text.startsWith("*Restarted &lt;trader&gt; &amp; co*\n"), text);
  assert.ok(text.includes("Log says &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"), text);
  assert.ok(!/[<>]/.test(text), "no raw angle bracket: no mention, no link");
  assert.deepEqual(Object.keys(hook.received[0]?.body as object), ["text"]);
  assert.equal(hook.received[0]?.headers["idempotency-key"], alert.id);
});

test("webhook discord: { content } that cannot ping anyone, markdown escaped, cut to 2000", async (t) => {
  const hook = await receiver(t);
  hook.behave({ kind: "accept", status: 204 });
  const alert = sampleAlert({ message: `@everyone __init__ failed ${"x".repeat(3000)}` });
  const finding = await send(hook.config({ preset: "discord" }), [alert]);
  assert.equal(finding.summary, `Sent to Discord at "${hook.origin}" (204 No Content)`);
  const body = hook.received[0]?.body as { content: string; allowed_mentions: unknown };
  assert.deepEqual(body.allowed_mentions, { parse: [] });
  assert.ok(body.content.length <= DISCORD_CONTENT_LIMIT, `${body.content.length}`);
  assert.ok(body.content.startsWith('**Restarted "trader" on testhost**\n\\@everyone \\_\\_init\\_\\_ failed x'), body.content.slice(0, 80));
  assert.ok(body.content.endsWith(cutMarker(finding.evidence.cut as number)));
  assert.ok((finding.evidence.cut as number) > 1000);
});

test("webhook ntfy: JSON publishing to the server's root, the topic from the URL, priority and tags from the severity", async (t) => {
  const hook = await receiver(t);
  hook.behave({ kind: "accept", body: { id: "abc123", event: "message" } });
  const alert = sampleAlert({ kind: "gave-up", severity: "critical" });
  const finding = await send(hook.config({ preset: "ntfy", url: `${hook.origin}/${TOPIC}` }), [alert]);
  assert.equal(finding.summary, `Sent to ntfy at "${hook.origin}" (200 OK)`);
  const request = hook.received[0];
  assert.equal(request?.path, "/");
  const { title, body } = renderText([alert]);
  assert.deepEqual(request?.body, { topic: TOPIC, title, message: body, priority: 5, tags: ["rotating_light"] });
  assert.equal(request?.headers["idempotency-key"], alert.id);
  assertNoSecret(finding);
});

test("webhook ntfy: a URL without a topic is refused for good, and nothing is sent", async (t) => {
  const hook = await receiver(t);
  const finding = await send(hook.config({ preset: "ntfy", url: `${hook.origin}/` }));
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, `Cannot send to ntfy at "${hook.origin}" as its URL names no topic (expected https://ntfy.sh/TOPIC)`);
  assert.equal(hook.requests.length, 0);
});

test("webhook sends the configured headers (they may override Content-Type) and never shows their values", async (t) => {
  const hook = await receiver(t);
  const config = hook.config({ preset: "ntfy", url: `${hook.origin}/${TOPIC}`, headers: { Authorization: TOKEN, "Content-Type": "application/json; charset=utf-8" } });
  assert.equal((await send(config)).ok, true);
  assert.equal(hook.received[0]?.headers.authorization, TOKEN);
  assert.equal(hook.received[0]?.headers["content-type"], "application/json; charset=utf-8");
  // A receiver that quotes the request back in its error: none of it reaches the result.
  hook.behave({ kind: "fail", status: 403, body: { error: `forbidden: ${TOKEN} may not write to ${TOPIC} at ${hook.origin}/${TOPIC}` } });
  const refused = await send(config);
  assert.equal(refused.permanent, true);
  assertNoSecret(refused);
  assert.ok(refused.summary.startsWith(`Cannot send to ntfy at "${hook.origin}" as it answered 403 Forbidden: forbidden: `), refused.summary);
});

test("webhook 4xx is permanent and quotes the receiver's reason", async (t) => {
  const hook = await receiver(t);
  hook.behave({ kind: "fail", status: 404, body: "no_service" });
  const finding = await send(hook.config({ preset: "slack" }));
  assert.deepEqual(finding, {
    ok: false,
    permanent: true,
    summary: `Cannot send to Slack at "${hook.origin}" as it answered 404 Not Found: no_service`,
    evidence: { origin: hook.origin, preset: "slack", alerts: 1, status: 404 },
    cause: "no_service",
  });
});

test("webhook 5xx and 408 are temporary; 429 and 503 honour Retry-After in seconds or as an HTTP date", async (t) => {
  const hook = await receiver(t);
  hook.behave({ kind: "fail", status: 500, body: "<html>\n<h1>Oops</h1></html>" });
  const failed = await send(hook.config());
  assert.equal(failed.permanent, undefined);
  assert.equal(failed.retryAfterMs, undefined);
  assert.equal(failed.summary, `Cannot send to the webhook at "${hook.origin}" as it answered 500 Internal Server Error: <html>`);

  hook.behave({ kind: "fail", status: 408 });
  assert.equal((await send(hook.config())).permanent, undefined);

  hook.behave({ kind: "fail", status: 429, retryAfter: "120", body: { message: "You are being rate limited.", retry_after: 120 } });
  const limited = await send(hook.config({ preset: "discord" }));
  assert.equal(limited.retryAfterMs, 120_000);
  assert.equal(limited.permanent, undefined);
  assert.equal(limited.summary, `Cannot send to Discord at "${hook.origin}" as it answered 429 Too Many Requests: You are being rate limited.`);

  hook.behave({ kind: "fail", status: 503, retryAfter: new Date(NOW + 90_000).toUTCString() });
  assert.equal((await send(hook.config())).retryAfterMs, 90_000);
});

test("webhook: a redirect is not followed and is permanent (a redirected POST would lose the alert)", async (t) => {
  const hook = await receiver(t);
  hook.behave({ kind: "fail", status: 301 }, { kind: "accept" });
  const finding = await send(hook.config());
  assert.equal(finding.permanent, true);
  assert.equal(finding.summary, `Cannot send to the webhook at "${hook.origin}" as it answered 301 Moved Permanently (a redirect is not followed: set \`url\` to where it leads)`);
  assert.equal(hook.requests.length, 1);
});

test("webhook: a refused connection is temporary and names the origin only", async (t) => {
  const hook = await receiver(t);
  const config = hook.refusingConfig({ preset: "slack" });
  const origin = new URL(config.url).origin;
  const finding = await send(config);
  assert.deepEqual(finding, {
    ok: false,
    summary: `Cannot send to Slack at "${origin}" as the connection was refused (ECONNREFUSED)`,
    evidence: { origin, preset: "slack", alerts: 1 },
    cause: "the connection was refused (ECONNREFUSED)",
  });
  assertNoSecret(finding);
});

test("webhook lets go of a receiver that never answers once the signal aborts", async (t) => {
  const hook = await receiver(t);
  hook.behave({ kind: "hang" });
  const controller = new AbortController();
  const sending = send(hook.config(), [sampleAlert()], controller.signal);
  await hook.waitForRequests(1);
  controller.abort(new DOMException("timed out", "TimeoutError"));
  const finding = await sending;
  assert.equal(finding.ok, false);
  assert.equal(finding.permanent, undefined);
  assert.equal(finding.summary, `Cannot send to the webhook at "${hook.origin}" as it did not answer in time`);
});

test("webhook results never show the URL beyond its origin, whatever happens", async (t) => {
  const hook = await receiver(t);
  const config = hook.config({ url: `${hook.origin}${TEST_WEBHOOK_PATH}?key=s3cret-query`, headers: { "X-Api-Key": "s3cret-api-key" } });
  const echo = `${config.url} ${TEST_WEBHOOK_PATH}?key=s3cret-query s3cret-api-key`;
  const cases = [
    { kind: "accept" },
    { kind: "fail", status: 400, body: echo },
    { kind: "fail", status: 502, body: { message: echo } },
    { kind: "fail", status: 429, retryAfter: "1", body: echo },
  ] as const;
  for (const behaviour of cases) {
    hook.behave(behaviour);
    assertNoSecret(await send(config));
  }
  assertNoSecret(await send(hook.refusingConfig({ url: `${new URL(hook.refusingConfig().url).origin}${TEST_WEBHOOK_PATH}?key=s3cret-query` })));
});
