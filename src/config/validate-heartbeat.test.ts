import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { configValidators } from "../testing/validate-helpers.js";
import { hasPingHeartbeat } from "./ping-heartbeat.js";
import { validateConfig } from "./validate.js";

const options = { source: "lifeguard.yaml", baseDir: "/etc/lifeguard" };
const { onlyService } = configValidators(options);
const HTTP = "http: { token: s3cret-Token-0123456789 }\n";

/** A service `bot` with `lines` under `checks:`, after the `http:` line given. */
function withChecks(lines: string[], http = HTTP, name = "bot"): string {
  return [`${http}services:`, `  ${name}:`, "    systemd: bot", "    checks:", ...lines.map((line) => `      ${line}`)].join("\n");
}

function issuesOf(text: string): string[] {
  const result = validateConfig(text, { ...options, env: {} });
  if (result.ok) assert.fail("expected the config to be invalid");
  return result.issues.map(formatConfigIssue);
}

test("a heartbeat by ping normalises to max-age in ms and no file", () => {
  const service = onlyService(withChecks(["- heartbeat: { max-age: 2m }"]));
  assert.deepEqual(service.checks[1], { id: "heartbeat", kind: "heartbeat", timeoutMs: 5000, alertOnly: false, maxAgeMs: 120_000, file: null });
  assert.equal(hasPingHeartbeat(service), true);
});

test("a heartbeat file resolves against the config file's directory", () => {
  const service = onlyService(withChecks(["- heartbeat: { max-age: 90s, file: run/alive, timeout: 1s, alert-only: true }", "- heartbeat: { max-age: 5m, file: /run/bot/alive }"], ""));
  assert.deepEqual(service.checks.slice(1), [
    { id: "heartbeat", kind: "heartbeat", timeoutMs: 1000, alertOnly: true, maxAgeMs: 90_000, file: "/etc/lifeguard/run/alive" },
    { id: "heartbeat#2", kind: "heartbeat", timeoutMs: 5000, alertOnly: false, maxAgeMs: 300_000, file: "/run/bot/alive" },
  ]);
  assert.equal(hasPingHeartbeat(service), false, "file heartbeats take no pings, and need no token");
});

test("a ping heartbeat and file heartbeats go together", () => {
  const service = onlyService(withChecks(["- heartbeat: { max-age: 2m, file: /run/a }", "- heartbeat: { max-age: 2m }", "- heartbeat: { max-age: 2m, file: /run/b }"]));
  assert.deepEqual(service.checks.map((check) => check.id), ["running", "heartbeat", "heartbeat#2", "heartbeat#3"]);
});

test("a heartbeat needs max-age, at least 1ms, and knows no other keys", () => {
  assert.deepEqual(issuesOf(withChecks(["- heartbeat: {}", "- heartbeat", "- heartbeat: { max-age: 0s }", "- heartbeat: { max-age: 2m, url: /ping }", "- heartbeat: { max-age: 2m, file: 42 }"])), [
    'lifeguard.yaml:6:9: services.bot.checks[0].max-age: missing required key; expected a duration like "90s", "5m" or "1h"',
    'lifeguard.yaml:7:9: services.bot.checks[1].max-age: missing required key; expected a duration like "90s", "5m" or "1h"',
    'lifeguard.yaml:8:31: services.bot.checks[2].max-age: expected at least "1ms", got "0s"',
    'lifeguard.yaml:9:35: services.bot.checks[3].url: unknown key "url" (known: timeout, alert-only, active, quiet, max-age, file, on-unreadable)',
    "lifeguard.yaml:10:41: services.bot.checks[4].file: expected a string, got 42",
  ]);
});

test("a service takes one heartbeat by ping: a second is pointed at", () => {
  assert.deepEqual(issuesOf(withChecks(["- log-fresh: { path: /a.log, max-age: 5m }", "- heartbeat: { max-age: 2m }", "- heartbeat: { max-age: 5m }"])), [
    'lifeguard.yaml:8:9: services.bot.checks[2]: expected one "heartbeat" check without "file" per service (it has one ping URL), got another (first at checks[1])',
  ]);
});

test("a heartbeat by ping needs http.token", () => {
  assert.deepEqual(issuesOf(withChecks(["- heartbeat: { max-age: 2m }"], "")), [
    'lifeguard.yaml:5:9: services.bot.checks[0]: expected http.token to be set for a heartbeat by ping, got none (pings without it are refused, so the heartbeat could only go stale); set http.token, e.g. "token: ${LIFEGUARD_TOKEN}", or give the heartbeat a "file"',
  ]);
});

test("a service whose name reads as a ping signal cannot have a heartbeat by ping", () => {
  for (const name of ["start", "fail", "0", "42", "255"]) {
    assert.deepEqual(issuesOf(withChecks(["- heartbeat: { max-age: 2m }"], HTTP, name)), [
      `lifeguard.yaml:3:3: services.${name}: expected a service name other than "start", "fail" or 0-255 for a heartbeat by ping, got "${name}" (its ping URL /ping/KEY/${name} would read as a signal); rename the service`,
    ], name);
  }
  for (const name of ["256", "failed", "starter"]) assert.equal(onlyService(withChecks(["- heartbeat: { max-age: 2m }"], HTTP, name)).name, name);
});
