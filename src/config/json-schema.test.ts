import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { configJsonSchema } from "./json-schema.js";

type Schema = Record<string, unknown>;

/**
 * A small JSON Schema checker covering the keywords the generated schema uses; it returns the
 * paths that fail. Enough to prove an editor would accept (or flag) a file.
 */
function violations(value: unknown, schema: Schema, path = "$"): string[] {
  if (Array.isArray(schema.anyOf)) {
    const each = (schema.anyOf as Schema[]).map((option) => violations(value, option, path));
    return each.some((found) => found.length === 0) ? [] : [`${path}: matches no anyOf option`];
  }
  const found: string[] = [];
  const type = Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;
  const types = [schema.type ?? []].flat();
  if (types.length > 0 && !types.includes(type) && !(types.includes("number") && type === "integer")) return [`${path}: expected ${types.join(" or ")}, got ${type}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) found.push(`${path}: not in enum`);
  if (typeof schema.pattern === "string" && typeof value === "string" && !new RegExp(schema.pattern).test(value)) found.push(`${path}: does not match ${schema.pattern}`);
  if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) found.push(`${path}: below minimum`);
  if (typeof schema.maximum === "number" && typeof value === "number" && value > schema.maximum) found.push(`${path}: above maximum`);
  if (typeof schema.minLength === "number" && typeof value === "string" && value.length < schema.minLength) found.push(`${path}: too short`);
  if (type === "array" && schema.items !== undefined) (value as unknown[]).forEach((item, index) => found.push(...violations(item, schema.items as Schema, `${path}[${index}]`)));
  if (type === "object") found.push(...objectViolations(value as Record<string, unknown>, schema, path));
  return found;
}

function objectViolations(value: Record<string, unknown>, schema: Schema, path: string): string[] {
  const found: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const keys = Object.keys(value);
  for (const key of (schema.required ?? []) as string[]) if (!(key in value)) found.push(`${path}.${key}: required`);
  if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) found.push(`${path}: too few keys`);
  if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) found.push(`${path}: too many keys`);
  for (const key of keys) {
    if (schema.propertyNames !== undefined) found.push(...violations(key, schema.propertyNames as Schema, `${path}.${key} (name)`));
    const rule = properties[key] ?? schema.additionalProperties;
    if (rule === false || rule === undefined) found.push(...(rule === false ? [`${path}.${key}: unknown key`] : []));
    else if (rule !== true) found.push(...violations(value[key], rule as Schema, `${path}.${key}`));
  }
  return found;
}

const DESIGN_EXAMPLE = `
state: /var/lib/lifeguard
log: { file: /var/log/lifeguard.log, format: text, max-size: 10MiB, keep: 3 }
retention: { max-age: 90d, max-size: 64MiB }
services:
  trader:
    systemd: gemini-trader.service
    systemctl-timeout: 10s
    interval: 30s
    checks:
      - running: { timeout: 10s }
      - log-fresh: { path: /home/bot/logs/gemini_trader.log, max-age: 5m }
      - log-activity: { path: /home/bot/logs/gemini_trader.log, lines: 100, match: "VIX|Position|Update", min: 1, forbid: Traceback, ignore-case: false }
      - running
    failure-threshold: 2
    startup-grace: 60s
    restart:
      stop-timeout: 10s
      kill-wait: 2s
      verify-timeout: 30s
      limit: { max: 3, per: 1h }
      backoff: { initial: 10s, max: 5m, reset-after: 10m }
      rearm-after: 6h
`;

test("configJsonSchema is a draft 2020-12 schema with an id and a title", () => {
  const schema = configJsonSchema();
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.equal(schema.$id, "urn:lifeguard:config");
  assert.equal(schema.title, "Lifeguard configuration");
  assert.deepEqual(schema.required, ["services"]);
  assert.equal(schema.additionalProperties, false);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(schema)));
});

test("the JSON schema accepts the DESIGN example", () => {
  assert.deepEqual(violations(parse(DESIGN_EXAMPLE), configJsonSchema()), []);
});

test("the JSON schema accepts a supervised command and the http section", () => {
  const data = parse(`
http: { listen: 127.0.0.1:9473, token: "\${LIFEGUARD_TOKEN}" }
services:
  bot:
    command: [python3, main.py]
    cwd: /home/bot/app
    env: { PYTHONUNBUFFERED: "1" }
    user: bot
    output: { file: /var/log/bot.out.log, max-size: 10MiB, keep: 3 }
    min-uptime: 10s
`);
  assert.deepEqual(violations(data, configJsonSchema()), []);
});

test("the JSON schema tells editors a service has systemd or command", () => {
  const service = (configJsonSchema().properties as Record<string, Schema>).services?.additionalProperties as Schema;
  assert.deepEqual(service.oneOf, [{ required: ["systemd"] }, { required: ["command"] }]);
  const data = parse("services:\n  a: { command: [x], env: { 1BAD: x, OK: 3 } }\n");
  assert.deepEqual(violations(data, configJsonSchema()), ["$.services.a.env.1BAD (name): does not match ^[A-Za-z_][A-Za-z0-9_]*$", "$.services.a.env.OK: expected string, got integer"]);
});

test("the JSON schema flags unknown keys, bare-number durations and bad names", () => {
  const data = parse("services:\n  'my bot':\n    systemd: x\n    interval: 30\n    checks: [log-fresh, { log-fresj: {} }]\n  ok: { systemd: y, timeout: 3s }\n");
  assert.deepEqual(violations(data, configJsonSchema()), [
    "$.services.my bot (name): does not match ^[A-Za-z0-9][A-Za-z0-9_.@-]*$",
    "$.services.my bot.interval: expected string, got integer",
    "$.services.my bot.checks[0]: matches no anyOf option",
    "$.services.my bot.checks[1]: matches no anyOf option",
    "$.services.ok.timeout: unknown key",
  ]);
});

test("every key in the JSON schema has a description", () => {
  const missing: string[] = [];
  const visit = (schema: Schema, path: string): void => {
    for (const [key, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      if (typeof property.description !== "string" || property.description === "") missing.push(`${path}.${key}`);
      visit(property, `${path}.${key}`);
      for (const option of (property.anyOf ?? []) as Schema[]) visit(option, `${path}.${key}`);
    }
    if (typeof schema.additionalProperties === "object") visit(schema.additionalProperties as Schema, `${path}.<name>`);
    if (typeof schema.items === "object") for (const option of ((schema.items as Schema).anyOf ?? [schema.items]) as Schema[]) visit(option, `${path}[]`);
  };
  visit(configJsonSchema(), "$");
  assert.deepEqual(missing, []);
});

test("the JSON schema carries defaults as users write them", () => {
  const at = (schema: unknown, ...keys: string[]): Schema => keys.reduce((node, key) => (node as Schema)[key], schema) as Schema;
  const schema = configJsonSchema();
  const service = at(schema, "properties", "services", "additionalProperties", "properties");
  assert.equal(at(schema, "properties", "state").default, "/var/lib/lifeguard");
  assert.equal(at(schema, "properties", "retention", "properties", "max-age").default, "90d");
  assert.equal(at(service, "interval").default, "30s");
  assert.equal(at(service, "failure-threshold").default, 2);
  assert.equal(at(service, "restart", "properties", "rearm-after").default, null);
  assert.equal(at(service, "interval").description, "Time between check rounds in daemon mode (`lifeguard run`); at least `1s`. A round with nothing to judge is skipped: while each check follows what it looks at (`log-fresh` its log, `running` a supervised process) and nothing changed, the service is looked at in full every `interval` or 60 s, whichever is longer, and at its interval again once a change is heard.");
});
