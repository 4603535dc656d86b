import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { LISTEN_PATTERN, parseListenAddress } from "./listen-address.js";
import type { HttpConfig } from "./types.js";
import { validateConfig } from "./validate.js";

const SERVICES = "services: { trader: { systemd: trader } }\n";
const TOKEN = "s3cret-Token-0123456789";

function validate(text: string, env: Record<string, string> = {}) {
  return validateConfig(text + SERVICES, { source: "lifeguard.yaml", baseDir: "/etc/lifeguard", env });
}

function httpOf(text: string, env: Record<string, string> = {}): HttpConfig {
  const result = validate(text, env);
  if (!result.ok) assert.fail(result.issues.map(formatConfigIssue).join("\n"));
  return result.config.http;
}

function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  const result = validate(text, env);
  if (result.ok) assert.fail("expected the config to be invalid");
  return result.issues.map(formatConfigIssue);
}

test("http defaults to 127.0.0.1:9473 without a token", () => {
  assert.deepEqual(httpOf(""), { host: "127.0.0.1", port: 9473, token: null });
  assert.deepEqual(httpOf("http: {}\n"), { host: "127.0.0.1", port: 9473, token: null });
});

test("http listen takes host:port and [ipv6]:port", () => {
  const cases: Array<[string, { host: string; port: number }]> = [
    ["0.0.0.0:80", { host: "0.0.0.0", port: 80 }],
    ["localhost:9473", { host: "localhost", port: 9473 }],
    ["pi-4.local:65535", { host: "pi-4.local", port: 65535 }],
    ['"[::1]:9473"', { host: "::1", port: 9473 }],
    ['"[::]:0"', { host: "::", port: 0 }],
    ['"[fe80::1%eth0]:1"', { host: "fe80::1%eth0", port: 1 }],
  ];
  for (const [written, expected] of cases) assert.deepEqual(httpOf(`http: { listen: ${written} }\n`), { ...expected, token: null }, written);
});

test("http takes its token from the environment", () => {
  assert.deepEqual(httpOf("http: { listen: 127.0.0.1:8080, token: ${LIFEGUARD_TOKEN} }\n", { LIFEGUARD_TOKEN: TOKEN }), { host: "127.0.0.1", port: 8080, token: TOKEN });
});

test("a malformed listen address says what is wrong with it", () => {
  const issue = (written: string) => issuesOf(`http:\n  listen: ${written}\n`);
  const prefix = 'lifeguard.yaml:2:11: http.listen: expected an address like "127.0.0.1:9473" or "[::1]:9473", got';
  assert.deepEqual(issue("localhost"), [`${prefix} "localhost" (the port is missing: write "localhost:9473")`]);
  assert.deepEqual(issue('"::1:9473"'), [`${prefix} "::1:9473" (an IPv6 address goes in brackets, e.g. [::1]:9473)`]);
  assert.deepEqual(issue('":9473"'), [`${prefix} ":9473" (the host is missing: write 0.0.0.0:PORT to listen on every interface)`]);
  assert.deepEqual(issue("127.0.0.1:65536"), [`${prefix} "127.0.0.1:65536" (the port 65536 is out of range 0 to 65535)`]);
  assert.deepEqual(issue("127.0.0.1:http"), [`${prefix} "127.0.0.1:http" (the port "http" is not a number)`]);
  assert.deepEqual(issue('"127.0.0.1:"'), [`${prefix} "127.0.0.1:" (the port is missing)`]);
  assert.deepEqual(issue("300.1.1.1:80"), [`${prefix} "300.1.1.1:80" (the host "300.1.1.1" is not an IPv4 address)`]);
  assert.deepEqual(issue("my_host:80"), [`${prefix} "my_host:80" (the host "my_host" is not a host name)`]);
  assert.deepEqual(issue('"[127.0.0.1]:80"'), [`${prefix} "[127.0.0.1]:80" (the address "127.0.0.1" in brackets is not an IPv6 address)`]);
  assert.deepEqual(issue('"[::1]9473"'), [`${prefix} "[::1]9473" (the port is missing: write "[ipv6]:port")`]);
  assert.deepEqual(issue("9473"), [`${prefix} the bare number 9473 (write 127.0.0.1:9473)`]);
});

test("an unknown http key gets a did-you-mean", () => {
  assert.deepEqual(issuesOf("http: { listn: 127.0.0.1:80 }\n"), ['lifeguard.yaml:1:9: http.listn: unknown key "listn"; did you mean "listen"?']);
});

test("a token that breaks a rule is reported without its value", () => {
  const cases: Array<[string, string]> = [
    ["token: abc123", "http.token: expected a token of at least 16 characters, got 6 (the token is not shown)"],
    ['token: "tok en with a space 0123"', "http.token: expected a token without spaces or control characters (it is sent in an HTTP header), got one with them (the token is not shown)"],
    ['token: ""', "http.token: expected a token of at least 16 characters, got an empty one (leave the key out for none)"],
    ["token: 12345678901234567890", "http.token: expected a token of at least 16 characters, got a number (write the value in quotes to keep it text)"],
    ["token: [abcdefabcdefabcdef]", "http.token: expected a token of at least 16 characters, got a list"],
  ];
  for (const [line, expected] of cases) {
    // A list is pointed at by its key, a scalar by itself.
    const column = line.includes("[") ? 3 : 10;
    assert.deepEqual(issuesOf(`http:\n  ${line}\n`), [`lifeguard.yaml:2:${column}: ${expected}`], line);
  }
});

test("a token from the environment never appears in a message, whole or in part", () => {
  const secrets = ["short-Secret", "Secret with spaces 0123456789", "123456789012345678901234"];
  for (const secret of secrets) {
    const issues = issuesOf("http: { token: ${LIFEGUARD_TOKEN} }\n", { LIFEGUARD_TOKEN: secret });
    assert.equal(issues.length, 1, secret);
    for (const part of [secret, secret.slice(0, 6), secret.slice(-6)]) assert.ok(!issues[0]?.includes(part), `${issues[0]} shows ${part}`);
  }
});

test("a token with a broken reference is reported without any of it; a token from an unset variable names the variable", () => {
  const hidden = 'lifeguard.yaml:1:16: http.token: expected the value as written, or a reference like ${NAME}, got a "$" that is neither (the value is not shown; write $$ for a literal "$")';
  assert.deepEqual(issuesOf('http: { token: "Xy7${Secret}Part-0123456789" }\n'), [hidden]);
  assert.deepEqual(issuesOf('http:\n  token: "Xy7${Secret-Part-0123456789"\n'), [hidden.replace("1:16", "2:10")]);
  assert.deepEqual(issuesOf("http: { token: ${LIFEGUARD_TOKEN} }\n"), [
    'lifeguard.yaml:1:16: http.token: environment variable "LIFEGUARD_TOKEN" is not set (write ${LIFEGUARD_TOKEN:-/fallback} for a default)',
  ]);
});

test("LISTEN_PATTERN, for editors, accepts every address parseListenAddress accepts", () => {
  const pattern = new RegExp(LISTEN_PATTERN);
  for (const text of ["127.0.0.1:9473", "localhost:0", "a-b.c:65535", "[::1]:9473", "[::]:80", "[::ffff:127.0.0.1]:1", "[fe80::1%eth0]:1"]) {
    assert.ok(!("problem" in parseListenAddress(text)), text);
    assert.ok(pattern.test(text), text);
  }
  for (const text of ["localhost", ":80", "::1:80", "a b:80", "[::1]"]) assert.equal(pattern.test(text), false, text);
});
