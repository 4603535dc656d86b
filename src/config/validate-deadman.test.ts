import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { configJsonSchema } from "./json-schema.js";
import type { DeadmanConfig } from "./types.js";
import { validateConfig } from "./validate.js";

const SERVICES = "services: { trader: { systemd: trader } }\n";
const URL_ = "https://hc-ping.example/ping/s3cret-key?token=t0p";
/** What must never appear in a message: the URL's path, query, user info or the URL whole. */
const SECRETS = ["s3cret", "t0p", "/ping", "hunter2"];

function validate(text: string, env: Record<string, string> = {}) {
  return validateConfig(text + SERVICES, { source: "lifeguard.yaml", baseDir: "/etc/lifeguard", env });
}

function deadmanOf(text: string, env: Record<string, string> = {}): DeadmanConfig | null {
  const result = validate(text, env);
  if (!result.ok) assert.fail(result.issues.map(formatConfigIssue).join("\n"));
  return result.config.deadman;
}

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  const result = validate(text, env);
  if (result.ok) assert.fail("expected the config to be invalid");
  const issues = result.issues.map(formatConfigIssue);
  for (const secret of SECRETS) assert.ok(!issues.join("\n").includes(secret), `a message shows "${secret}": ${issues.join("\n")}`);
  return issues;
}

test("deadman is off unless configured", () => {
  assert.equal(deadmanOf(""), null);
  assert.equal(deadmanOf("deadman:\n"), null);
});

test("deadman takes a URL, with a 1m interval, a 10s timeout and GET by default", () => {
  assert.deepEqual(deadmanOf(`deadman: { url: "${URL_}" }\n`), { url: URL_, intervalMs: 60_000, timeoutMs: 10_000, method: "GET" });
  assert.deepEqual(deadmanOf("deadman:\n  url: http://127.0.0.1:3001/api/push/abc\n  interval: 1s\n  timeout: 500ms\n  method: POST\n"), {
    url: "http://127.0.0.1:3001/api/push/abc", intervalMs: 1000, timeoutMs: 500, method: "POST",
  });
});

test("deadman's URL comes from the environment", () => {
  assert.equal(deadmanOf("deadman: { url: ${DEADMAN_URL} }\n", { DEADMAN_URL: URL_ })?.url, URL_);
  assert.deepEqual(issuesOf("deadman: { url: ${DEADMAN_URL} }\n"), [
    'lifeguard.yaml:1:17: deadman.url: environment variable "DEADMAN_URL" is not set (write ${DEADMAN_URL:-/fallback} for a default)',
  ]);
});

test("a URL that is not http(s) is refused without showing it", () => {
  const issue = (url: string) => issuesOf(`deadman:\n  url: "${url}"\n`);
  const prefix = "lifeguard.yaml:2:8: deadman.url: expected an http:// or https:// URL";
  assert.deepEqual(issue("ftp://hc-ping.example/ping/s3cret-key"), [`${prefix}, got one with the scheme "ftp:" (the URL is not shown)`]);
  assert.deepEqual(issue("hc-ping.example/ping/s3cret-key"), [`${prefix}, got one without a scheme; write "https://" in front (the URL is not shown)`]);
  assert.deepEqual(issue("http://[::1/ping/s3cret-key"), [`${prefix}, got one that does not parse as a URL (the URL is not shown)`]);
  assert.deepEqual(issue("https://me:hunter2@hc-ping.example/ping/s3cret-key"), [`${prefix} without a user name or password (a secret belongs in the path or a header), got one with them (the URL is not shown)`]);
  assert.deepEqual(issue(""), [`${prefix}, got an empty one`]);
});

test("a URL from the environment is not shown either when it is invalid", () => {
  assert.deepEqual(issuesOf("deadman: { url: ${DEADMAN_URL} }\n", { DEADMAN_URL: "smtp://hc-ping.example/ping/s3cret-key" }), [
    'lifeguard.yaml:1:17: deadman.url: expected an http:// or https:// URL, got one with the scheme "smtp:" (the URL is not shown)',
  ]);
  // A broken reference inside the URL is reported without any of it.
  assert.deepEqual(issuesOf('deadman:\n  url: "https://hc-ping.example/ping/s3cret-key${Key-Part"\n'), [
    'lifeguard.yaml:2:8: deadman.url: expected the value as written, or a reference like ${NAME}, got a "$" that is neither (the value is not shown; write $$ for a literal "$")',
  ]);
});

test("a URL written where the map belongs is not shown", () => {
  assert.deepEqual(issuesOf(`deadman: ${URL_}\n`), ['lifeguard.yaml:1:10: deadman: expected a map like "{ url: ${DEADMAN_URL}, interval: 1m }", got a string (the value is not shown)']);
});

test("deadman's other fields are checked with the usual messages", () => {
  assert.deepEqual(issuesOf(`deadman:\n  url: "${URL_}"\n  interval: 500ms\n  timeout: 10\n  method: get\n`), [
    'lifeguard.yaml:3:13: deadman.interval: expected at least "1s", got "500ms"',
    "lifeguard.yaml:4:12: deadman.timeout: expected a duration with a unit, got the bare number 10 (write 30s, 5m or 1h)",
    'lifeguard.yaml:5:11: deadman.method: expected "GET" or "POST", got "get"; did you mean "GET"?',
  ]);
  assert.deepEqual(issuesOf("deadman: { interval: 1m }\n"), ["lifeguard.yaml:1:1: deadman.url: missing required key; expected an http:// or https:// URL"]);
  assert.deepEqual(issuesOf("deadman: { url: 42 }\n"), ["lifeguard.yaml:1:17: deadman.url: expected an http:// or https:// URL, got a number"]);
  assert.deepEqual(issuesOf(`deadman: { url: "${URL_}", intervl: 1m }\n`), ['lifeguard.yaml:1:70: deadman.intervl: unknown key "intervl"; did you mean "interval"?']);
});

test("the JSON Schema documents deadman as an optional map", () => {
  const deadman = (configJsonSchema().properties as Record<string, { default?: unknown; anyOf?: Array<{ required?: string[] }> }>).deadman;
  assert.equal(deadman?.default, null);
  assert.deepEqual(deadman?.anyOf?.[0]?.required, ["url"]);
});
