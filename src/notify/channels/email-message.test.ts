import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleAlert } from "../../testing/alerts.js";
import { composeEmail, domainOf, messageIdFor } from "./email-message.js";

const NOW = Date.UTC(2026, 10, 28, 3, 0, 5);
const RECIPIENTS = { from: "lifeguard@pi.example", to: ["ops@example.com"] };

test("messageIdFor gives one alert its id and a digest a hash of its ids, in order", () => {
  const [a, b] = [sampleAlert({ id: "lifeguard-pi-1" }), sampleAlert({ id: "lifeguard-pi-2" })];
  assert.equal(messageIdFor([a], "example.com"), "<lifeguard-pi-1@example.com>");
  const digest = messageIdFor([a, b], "example.com");
  assert.match(digest, /^<digest-2-[0-9a-f]{32}@example\.com>$/);
  assert.equal(messageIdFor([a, b], "example.com"), digest);
  assert.notEqual(messageIdFor([b, a], "example.com"), digest);
});

test("messageIdFor encodes what a Message-ID cannot hold, one to one", () => {
  assert.equal(messageIdFor([sampleAlert({ id: "pi.local@42 x" })], "example.com"), "<pi=2Elocal=4042=20x@example.com>");
  assert.notEqual(messageIdFor([sampleAlert({ id: "a.b" })], "d"), messageIdFor([sampleAlert({ id: "a=2Eb" })], "d"));
});

test("domainOf reads the domain of a bare or named address, and falls back when there is none", () => {
  assert.equal(domainOf("me@example.com"), "example.com");
  assert.equal(domainOf("Lifeguard <me@mail.example.com>"), "mail.example.com");
  assert.equal(domainOf("lifeguard"), "lifeguard.invalid");
  assert.equal(domainOf("me@[127.0.0.1]"), "lifeguard.invalid");
});

test("composeEmail names a bare sender Lifeguard and keeps a named one", () => {
  assert.deepEqual(composeEmail([sampleAlert()], RECIPIENTS, NOW).from, { name: "Lifeguard", address: "lifeguard@pi.example" });
  assert.equal(composeEmail([sampleAlert()], { ...RECIPIENTS, from: "Pi <pi@example.com>" }, NOW).from, "Pi <pi@example.com>");
});

test("composeEmail sets filter headers, the highest severity, and high priority when critical", () => {
  const alerts = [sampleAlert({ id: "1" }), sampleAlert({ id: "2", severity: "critical", kind: "gave-up", service: "web" }), sampleAlert({ id: "3", service: null })];
  const email = composeEmail(alerts, RECIPIENTS, NOW);
  assert.deepEqual(email.headers, {
    "Auto-Submitted": "auto-generated",
    "X-Lifeguard-Kind": "digest",
    "X-Lifeguard-Severity": "critical",
    "X-Lifeguard-Host": "testhost",
    "X-Lifeguard-Alert-Id": "1, 2, 3",
    "X-Lifeguard-Service": "trader, web",
    "X-Priority": "1 (Highest)",
    Importance: "High",
  });
  assert.deepEqual(email.date, new Date(NOW));
});

test("composeEmail threads one alert to its incident by References", () => {
  const email = composeEmail([sampleAlert()], RECIPIENTS, NOW);
  assert.equal(email.headers["References"], "<incident-trader=401795748049000@pi.example>");
  assert.equal(composeEmail([sampleAlert({ incident: null, service: null })], RECIPIENTS, NOW).headers["References"], undefined);
});
