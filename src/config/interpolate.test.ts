import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
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

/** A reader over `files`, recording the paths it was asked for; any other path does not exist. */
function readerOf(files: Record<string, string>) {
  const asked: string[] = [];
  const read = (path: string): string | Error => {
    asked.push(path);
    return Object.hasOwn(files, path) ? (files[path] as string) : new Error("it does not exist");
  };
  return { read, asked };
}

test("interpolate reads ${file:PATH} through the reader, dropping one trailing line break", () => {
  const { read, asked } = readerOf({ "tg.txt": "123:abc\n", "crlf.txt": "pass\r\n", "two.txt": "pass\n\n", "bare.txt": "pass" });
  assert.deepEqual(interpolate("${file:tg.txt}", env, read), { value: "123:abc", changed: true, errors: [] });
  assert.equal(interpolate("${file:crlf.txt}", env, read).value, "pass");
  assert.equal(interpolate("${file:two.txt}", env, read).value, "pass\n");
  assert.equal(interpolate("Bearer ${file:bare.txt}", env, read).value, "Bearer pass");
  assert.deepEqual(asked, ["tg.txt", "crlf.txt", "two.txt", "bare.txt"]);
});

test("interpolate reports a ${file:PATH} the reader cannot read, with the reader's reason", () => {
  const { read } = readerOf({});
  assert.deepEqual(interpolate("${file:/run/credentials/tg}", env, read), {
    value: "${file:/run/credentials/tg}", changed: true, errors: ['cannot read the file "/run/credentials/tg" of ${file:...} as it does not exist'],
  });
});

test("interpolate refuses ${file:PATH} without a reader", () => {
  assert.deepEqual(interpolate("${file:tg.txt}", env).errors, [
    'expected ${NAME} here, got a file reference "${file:tg.txt}" (files are read only from a configuration file)',
  ]);
});

test("validateConfig reads a secret from ${file:PATH} with the caller's reader, as written", () => {
  const { read, asked } = readerOf({ "secrets/tg.txt": "123456:ABC-secret\n" });
  const text = "services: { t: { systemd: t } }\nalerts:\n  phone: { type: telegram, token: \"${file:secrets/tg.txt}\", chat: 42 }\n";
  const result = validateConfig(text, { source: "f.yaml", baseDir: "/etc/lifeguard", env: {}, readFile: read });
  assert.ok(result.ok);
  assert.equal(result.config.channels[0]?.type === "telegram" && result.config.channels[0].token, "123456:ABC-secret");
  assert.deepEqual(asked, ["secrets/tg.txt"]);
  const missing = validateConfig(text.replace("tg.txt", "gone.txt"), { source: "f.yaml", baseDir: "/etc/lifeguard", env: {}, readFile: read });
  assert.deepEqual(!missing.ok && missing.issues.map(formatConfigIssue), [
    'f.yaml:3:35: alerts.phone.token: cannot read the file "secrets/gone.txt" of ${file:...} as it does not exist',
  ]);
});
