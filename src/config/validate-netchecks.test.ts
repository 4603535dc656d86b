import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { configValidators } from "../testing/validate-helpers.js";
import { validateConfig } from "./validate.js";

const options = { source: "lifeguard.yaml", baseDir: "/etc/lifeguard" };
const { onlyService } = configValidators(options);

/** A service `api` with `lines` under `checks:`. */
function withChecks(...lines: string[]): string {
  return ["services:", "  api:", "    systemd: api", "    checks:", ...lines.map((line) => `      ${line}`)].join("\n");
}

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  const result = validateConfig(text, { ...options, env });
  if (result.ok) assert.fail("expected the config to be invalid");
  return result.issues.map(formatConfigIssue);
}

test("an http check normalises with its defaults: GET, 200-399, no body pattern, no redirects", () => {
  const service = onlyService(withChecks("- http: { url: \"http://127.0.0.1:8080/health?full=1\" }"));
  assert.deepEqual(service.checks[1], {
    id: "http", kind: "http", timeoutMs: 5000, alertOnly: false, url: "http://127.0.0.1:8080/health?full=1", method: "GET",
    status: [{ from: 200, to: 399 }], body: null, headers: {}, followRedirects: false, caFile: null, ca: null,
  });
});

test("an http check takes a status, a range or a list of them, a body pattern, headers and redirects", () => {
  const service = onlyService(withChecks(
    "- http:",
    "    url: https://127.0.0.1:8443/ready",
    "    method: HEAD",
    "    status: [200, \"300-304\"]",
    "    body: '\"ok\":\\s*true'",
    "    headers: { Authorization: \"Bearer ${TOKEN}\" }",
    "    follow-redirects: true",
    "    timeout: 2s",
    "- http: { url: \"http://127.0.0.1/\", status: 204 }",
  ), { TOKEN: "s3cret-0123456789" });
  assert.deepEqual(service.checks[1], {
    id: "http", kind: "http", timeoutMs: 2000, alertOnly: false, url: "https://127.0.0.1:8443/ready", method: "HEAD",
    status: [{ from: 200, to: 200 }, { from: 300, to: 304 }], body: '"ok":\\s*true', headers: { Authorization: "Bearer s3cret-0123456789" }, followRedirects: true, caFile: null, ca: null,
  });
  assert.deepEqual((service.checks[2] as { status: unknown }).status, [{ from: 204, to: 204 }]);
});

test("an http check refuses a bad url, status range and body pattern, each with file:line:column", () => {
  assert.deepEqual(issuesOf(withChecks(
    "- http: { url: \"ftp://127.0.0.1/\" }",
    "- http: { url: \"http://me:pw@127.0.0.1/\" }",
    "- http: { url: \"http://127.0.0.1/\", status: \"299-200\" }",
    "- http: { url: \"http://127.0.0.1/\", status: [200, 700] }",
    "- http: { url: \"http://127.0.0.1/\", status: \"2xx\" }",
    "- http: { url: \"http://127.0.0.1/\", status: [] }",
    "- http: { url: \"http://127.0.0.1/\", body: \"(ok\" }",
    "- http: { url: \"http://127.0.0.1/\", method: POST }",
  )), [
    'lifeguard.yaml:5:22: services.api.checks[0].url: expected an http:// or https:// URL, got "ftp://127.0.0.1/"',
    "lifeguard.yaml:6:22: services.api.checks[1].url: expected an http:// or https:// URL without a user name or password (set an Authorization header instead), got one with them",
    'lifeguard.yaml:7:51: services.api.checks[2].status: expected a range from the lower status to the higher, got "299-200"',
    "lifeguard.yaml:8:57: services.api.checks[3].status[1]: expected statuses from 100 to 599, got 700",
    'lifeguard.yaml:9:51: services.api.checks[4].status: expected a status like 200 or a range like "200-299", got "2xx"',
    'lifeguard.yaml:10:43: services.api.checks[5].status: expected at least one status, got an empty list (e.g. [200, "300-399"])',
    'lifeguard.yaml:11:49: services.api.checks[6].body: expected a regular expression (RE2 syntax), got "(ok" (missing closing ")" in "(ok")',
    'lifeguard.yaml:12:51: services.api.checks[7].method: expected "GET" or "HEAD", got "POST"',
  ]);
});

test("an http header's value is never quoted by a message", () => {
  const issues = issuesOf(withChecks("- http: { url: \"http://127.0.0.1/\", headers: { X-Key: \"line\\nbreak-s3cret\" } }"));
  assert.equal(issues.length, 1);
  assert.ok(!issues[0]?.includes("s3cret"), issues[0]);
});

test("a tcp check normalises host and port, and refuses a port out of range", () => {
  const service = onlyService(withChecks("- tcp: { port: 4002 }", "- tcp: { host: broker.local, port: 7497, timeout: 1s }"));
  assert.deepEqual(service.checks.slice(1), [
    { id: "tcp", kind: "tcp", timeoutMs: 5000, alertOnly: false, host: "127.0.0.1", port: 4002 },
    { id: "tcp#2", kind: "tcp", timeoutMs: 1000, alertOnly: false, host: "broker.local", port: 7497 },
  ]);
  assert.deepEqual(issuesOf(withChecks("- tcp: { port: 70000 }", "- tcp: { port: 0 }", "- tcp: { host: x }")), [
    "lifeguard.yaml:5:22: services.api.checks[0].port: expected at most 65535, got 70000",
    "lifeguard.yaml:6:22: services.api.checks[1].port: expected at least 1, got 0",
    "lifeguard.yaml:7:9: services.api.checks[2].port: missing required key; expected an integer",
  ]);
});

test("an exec check normalises argv, exit code, working directory and variables", () => {
  const service = onlyService(withChecks("- exec: { command: [bin/probe, --port, \"4002\"], exit-code: 1, cwd: work, env: { MODE: quick } }", "- exec: { command: [/bin/true] }"));
  assert.deepEqual(service.checks.slice(1), [
    { id: "exec", kind: "exec", timeoutMs: 10_000, alertOnly: false, command: ["bin/probe", "--port", "4002"], exitCode: 1, cwd: "/etc/lifeguard/work", env: { MODE: "quick" } },
    { id: "exec#2", kind: "exec", timeoutMs: 10_000, alertOnly: false, command: ["/bin/true"], exitCode: 0, cwd: null, env: {} },
  ]);
});

test("an exec check refuses a shell line and an exit code out of range", () => {
  assert.deepEqual(issuesOf(withChecks("- exec: { command: \"curl -f localhost\" }", "- exec: { command: [x], exit-code: 256 }")), [
    'lifeguard.yaml:5:26: services.api.checks[0].command: expected a list of the program and its arguments, got the string "curl -f localhost"; write it as a list: command: [curl, -f, localhost] (Lifeguard runs no shell)',
    "lifeguard.yaml:6:42: services.api.checks[1].exit-code: expected at most 255, got 256",
  ]);
});
