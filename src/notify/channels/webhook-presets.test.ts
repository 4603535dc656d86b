import { test } from "node:test";
import assert from "node:assert/strict";
import type { Severity } from "../../core/alert.js";
import { sampleAlert } from "../../testing/alerts.js";
import { escapeDiscord, escapeSlack, idempotencyKey, NTFY_MESSAGE_LIMIT, renderWebhook, splitNtfyUrl, type WebhookRequest } from "./webhook-presets.js";

const NTFY = { url: "https://ntfy.example/alerts", preset: "ntfy" } as const;

function rendered(request: WebhookRequest | { problem: string }): WebhookRequest {
  if ("problem" in request) assert.fail(request.problem);
  return request;
}

test("ntfy priority and tags follow the severity; a digest takes its most urgent alert's", () => {
  const expected: Array<[Severity, number, string]> = [
    ["critical", 5, "rotating_light"],
    ["warning", 4, "warning"],
    ["info", 3, "information_source"],
    ["resolved", 3, "white_check_mark"],
  ];
  for (const [severity, priority, tag] of expected) {
    const { body } = rendered(renderWebhook(NTFY, [sampleAlert({ severity })]));
    assert.deepEqual([(body as { priority: number }).priority, (body as { tags: string[] }).tags], [priority, [tag]], severity);
  }
  const digest = rendered(renderWebhook(NTFY, [sampleAlert({ severity: "resolved" }), sampleAlert({ severity: "critical" }), sampleAlert({ severity: "info" })]));
  assert.equal((digest.body as { priority: number }).priority, 5);
});

test("ntfy's message is cut to its size limit in bytes", () => {
  const request = rendered(renderWebhook(NTFY, [sampleAlert({ message: "ü".repeat(5000) })]));
  assert.ok(Buffer.byteLength((request.body as { message: string }).message) <= NTFY_MESSAGE_LIMIT);
  assert.ok(request.cut > 0);
});

test("splitNtfyUrl takes the last path segment as the topic and keeps the rest as the server's root", () => {
  assert.deepEqual(splitNtfyUrl("https://ntfy.sh/mytopic"), { root: "https://ntfy.sh/", topic: "mytopic" });
  assert.deepEqual(splitNtfyUrl("https://example.org/ntfy/my-topic/?auth=x"), { root: "https://example.org/ntfy/?auth=x", topic: "my-topic" });
  assert.deepEqual(splitNtfyUrl("http://127.0.0.1:8080/caf%C3%A9"), { root: "http://127.0.0.1:8080/", topic: "café" });
  assert.equal(splitNtfyUrl("https://ntfy.sh/"), undefined);
  assert.equal(splitNtfyUrl("https://ntfy.sh"), undefined);
});

test("the idempotency key is the alert's id, the ids joined for a digest, hashed when too long", () => {
  assert.equal(idempotencyKey([sampleAlert({ id: "a-1" })]), "a-1");
  assert.equal(idempotencyKey([sampleAlert({ id: "a-1" }), sampleAlert({ id: "a-2" })]), "a-1,a-2");
  const many = Array.from({ length: 50 }, (_, n) => sampleAlert({ id: `lifeguard-testhost-${n}` }));
  const key = idempotencyKey(many);
  assert.match(key, /^digest-sha256-[0-9a-f]{64}$/);
  assert.equal(idempotencyKey(many), key, "stable across retries");
});

test("escapes: Slack's three characters; Discord's markdown, links and mentions", () => {
  assert.equal(Array.from("a&b<c>d*").map(escapeSlack).join(""), "a&amp;b&lt;c&gt;d*");
  assert.equal(Array.from("*b* _i_ `c` @here <#1> [l](u) # h").map(escapeDiscord).join(""), "\\*b\\* \\_i\\_ \\`c\\` \\@here \\<\\#1\\> \\[l\\](u) \\# h");
});

test("generic carries version 1, the title, the text and the alerts as they are", () => {
  const alert = sampleAlert();
  const { url, body, cut } = rendered(renderWebhook({ url: "https://example.org/hook", preset: "generic" }, [alert]));
  assert.equal(url, "https://example.org/hook");
  assert.equal(cut, 0);
  assert.deepEqual(Object.keys(body as object), ["version", "title", "text", "alerts"]);
  assert.equal((body as { version: number }).version, 1);
  assert.deepEqual((body as { alerts: unknown[] }).alerts, [alert]);
});
