import { test } from "node:test";
import assert from "node:assert/strict";
import { interpolate } from "./interpolate.js";
import { protectReferences } from "./protect-references.js";
import { validateConfig } from "./validate.js";

const env = { LOG_DIR: "/var/log/bot", EMPTY: "", PORT: "9473" };

test("interpolate replaces a set variable", () => {
  assert.deepEqual(interpolate("${LOG_DIR}", env), { value: "/var/log/bot", changed: true, errors: [] });
});

test("interpolate replaces variables within longer strings", () => {
  assert.equal(interpolate("${LOG_DIR}/trader.log", env).value, "/var/log/bot/trader.log");
  assert.equal(interpolate("http://127.0.0.1:${PORT}/ping/${PORT}", env).value, "http://127.0.0.1:9473/ping/9473");
});

test("interpolate uses the default when the variable is unset or empty", () => {
  assert.equal(interpolate("${MISSING:-/tmp/logs}", env).value, "/tmp/logs");
  assert.equal(interpolate("${EMPTY:-fallback}", env).value, "fallback");
  assert.equal(interpolate("${LOG_DIR:-fallback}", env).value, "/var/log/bot");
  assert.equal(interpolate("${MISSING:-}", env).value, "");
  assert.equal(interpolate("${MISSING:-a:-b c}", env).value, "a:-b c");
});

test("interpolate keeps an empty variable without default as empty", () => {
  assert.deepEqual(interpolate("[${EMPTY}]", env), { value: "[]", changed: true, errors: [] });
});

test("interpolate turns $$ into $ and leaves any other $ alone", () => {
  assert.deepEqual(interpolate("cost $$5 and $${LOG_DIR}", env), { value: "cost $5 and ${LOG_DIR}", changed: true, errors: [] });
  assert.deepEqual(interpolate("Update$|^$HOME|a$", env), { value: "Update$|^$HOME|a$", changed: false, errors: [] });
});

test("interpolate reports an unset variable", () => {
  assert.deepEqual(interpolate("${A}/${B:-b}/${C}", env).errors, [
    'environment variable "A" is not set (write ${A:-/fallback} for a default)',
    'environment variable "C" is not set (write ${C:-/fallback} for a default)',
  ]);
});

test("interpolate reports a malformed reference", () => {
  assert.deepEqual(interpolate("${1X} ${A-b} ${OPEN", env).errors, [
    'expected ${NAME} or ${NAME:-default}, got "${1X}" (write $$ for a literal "$")',
    'expected ${NAME} or ${NAME:-default}, got "${A-b}" (write $$ for a literal "$")',
    'expected ${NAME} or ${NAME:-default}, got "${OPEN" (write $$ for a literal "$")',
  ]);
});

test("protected references keep the text's length and come back intact", () => {
  const text = "a: { path: ${LOG_DIR}/x, other: ${X:-a, b # c}, cost: $$5 }\n";
  const references = protectReferences(text);
  assert.equal(references.text.length, text.length);
  assert.equal(references.text.includes("${"), false);
  assert.equal(references.restore(references.text), text);
});

test("variables are replaced after parsing, so values cannot change the document", () => {
  const result = validateConfig("services:\n  t:\n    systemd: t\n    checks:\n      - log-activity: { path: /a.log, match: ${PATTERN} }\n", {
    source: "f.yaml", baseDir: "/", env: { PATTERN: "a: b, c: [d] # e" },
  });
  assert.ok(result.ok);
  assert.equal(result.config.services[0]?.checks[1]?.kind === "log-activity" && result.config.services[0].checks[1].match, "a: b, c: [d] # e");
});

test("an unquoted value that becomes a number is read as one; a quoted one stays text", () => {
  const text = (lines: string) => `services:\n  t:\n    systemd: t\n    checks:\n      - log-activity: { path: /a, match: x, lines: ${lines} }\n`;
  const unquoted = validateConfig(text("${LINES:-50}"), { source: "f", baseDir: "/", env: {} });
  assert.ok(unquoted.ok);
  assert.equal(unquoted.config.services[0]?.checks[1]?.kind === "log-activity" && unquoted.config.services[0].checks[1].lines, 50);
  const quoted = validateConfig(text('"${LINES:-50}"'), { source: "f", baseDir: "/", env: {} });
  assert.deepEqual(!quoted.ok && quoted.issues.map((issue) => issue.message), ['expected an integer, got "50"']);
});

test("keys are not interpolated", () => {
  const result = validateConfig("services:\n  ${NAME}: { systemd: t }\n", { source: "f", baseDir: "/", env: { NAME: "t" } });
  assert.deepEqual(!result.ok && result.issues.map((issue) => `${issue.line}:${issue.column} ${issue.message}`), [
    '2:3 expected a service name of letters, digits, "_", ".", "@" and "-", starting with a letter or digit, got "${NAME}"',
  ]);
});

test("interpolation leaves line and column numbers of later values right", () => {
  const result = validateConfig("services:\n  t: { systemd: ${UNIT}, interval: 5 minutes }\n", { source: "f", baseDir: "/", env: { UNIT: "a-much-longer-unit-name" } });
  assert.deepEqual(!result.ok && result.issues.map((issue) => `${issue.line}:${issue.column}`), ["2:36"]);
});
