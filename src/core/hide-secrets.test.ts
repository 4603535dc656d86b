import { test } from "node:test";
import assert from "node:assert/strict";
import type { SendFinding } from "../notify/channel.js";
import { hideSecrets } from "./hide-secrets.js";

const TOKEN = "123456:ABC-def/ghi jkl";

const finding = (text: string): SendFinding => ({
  ok: false,
  summary: `Cannot send: ${text}`,
  cause: `cause ${text}`,
  evidence: { url: `https://api.example/${text}`, nested: { list: [`a ${text} b`, 42] } },
  permanent: true,
});

test("hideSecrets hides a secret as written in the summary, the cause and nested evidence", () => {
  assert.deepEqual(hideSecrets(finding(TOKEN), [TOKEN]), {
    ok: false,
    summary: "Cannot send: [secret]",
    cause: "cause [secret]",
    evidence: { url: "https://api.example/[secret]", nested: { list: ["a [secret] b", 42] } },
    permanent: true,
  });
});

test("hideSecrets hides a secret's URL-encoded forms", () => {
  for (const encoded of [encodeURIComponent(TOKEN), encodeURI(TOKEN)]) {
    assert.notEqual(encoded, TOKEN);
    const hidden = hideSecrets(finding(encoded), [TOKEN]);
    assert.equal(hidden.summary, "Cannot send: [secret]", encoded);
    assert.equal(hidden.cause, "cause [secret]", encoded);
    assert.deepEqual(hidden.evidence, { url: "https://api.example/[secret]", nested: { list: ["a [secret] b", 42] } }, encoded);
  }
});

test("hideSecrets hides a secret's JSON-escaped form, as a quoted request body shows it", () => {
  const secret = 'pa"ss\\word';
  const body = JSON.stringify({ password: secret });
  const hidden = hideSecrets({ ok: false, summary: `Server said ${body}`, evidence: { body, raw: secret } }, [secret]);
  assert.equal(hidden.summary, 'Server said {"password":"[secret]"}');
  assert.deepEqual(hidden.evidence, { body: '{"password":"[secret]"}', raw: "[secret]" });
});

test("hideSecrets leaves secrets shorter than 4 characters alone", () => {
  const original = finding("abc");
  assert.deepEqual(hideSecrets(original, ["abc", ""]), original);
  assert.equal(hideSecrets(finding("abcd"), ["abcd"]).summary, "Cannot send: [secret]");
});

test("hideSecrets replaces a longer secret before a shorter one it contains", () => {
  // Replacing "abcd" first would leave "[secret]-efgh": part of the longer secret.
  const hidden = hideSecrets({ ok: false, summary: "token abcd-efgh and abcd", evidence: {} }, ["abcd", "abcd-efgh"]);
  assert.equal(hidden.summary, "token [secret] and [secret]");
});

test("hideSecrets replaces each occurrence once, never inside its own marker", () => {
  const hidden = hideSecrets({ ok: false, summary: "token secret-suffix and secret", evidence: {} }, ["secret", "secret-suffix"]);
  assert.equal(hidden.summary, "token [secret] and [secret]");
});

test("hideSecrets keeps the evidence's numbers and keys whole when a secret is made of digits", () => {
  const original: SendFinding = { ok: true, summary: "Sent (message 120003)", evidence: { messageId: 120003, status: 200, at: "2000-01-01" } };
  const hidden = hideSecrets(original, ["2000"]);
  assert.equal(hidden.summary, "Sent (message 1[secret]3)");
  assert.deepEqual(hidden.evidence, { messageId: 120003, status: 200, at: "[secret]-01-01" });
});

test("hideSecrets returns the finding as it is without secrets", () => {
  const original = finding(TOKEN);
  assert.equal(hideSecrets(original, []), original);
});
