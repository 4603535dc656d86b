import { test } from "node:test";
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { UsageError } from "../core/errors.js";
import { buildQuickDocument, quickConfig, QUICK_SOURCE, type QuickContext, type QuickFlags } from "./quick-config.js";
import { configValidators } from "../testing/validate-helpers.js";

// Quick mode: `lifeguard run [flags] -- CMD ARGS...` made into a config document, validated as a file is.

const CONTEXT: QuickContext = { env: { HOME: "/home/bot" }, cwd: "/srv/app", isRoot: false };
const ROOT = "/home/bot/.local/state/lifeguard";
/** The store of the command named `python3`: a directory of its own under the state root. */
const STATE = `${ROOT}/quick-python3`;
const TOKEN = "0123456789abcdef-token";

function usageMessage(command: string[], flags: QuickFlags, context: QuickContext = CONTEXT): string {
  try {
    quickConfig(command, flags, context);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.exitCode, 64);
    assert.equal(error.hint, "Run `lifeguard run --help` for the flags of quick mode.");
    return error.message;
  }
  return assert.fail("expected a usage error");
}

test("quickConfig supervises the argv exactly as given, named after the program, with a file's defaults", () => {
  const command = ["/usr/bin/python3", "main.py", "${HOME}", "$$", "a b"];
  const config = quickConfig(command, {}, CONTEXT);
  assert.equal(config.source, QUICK_SOURCE);
  assert.equal(config.state, STATE);
  assert.equal(config.services.length, 1);
  const [service] = config.services;
  assert.equal(service?.name, "python3");
  assert.deepEqual(service?.runner, {
    kind: "process", command, cwd: null, env: {}, user: null,
    output: { file: `${STATE}/python3.out.log`, maxBytes: 10 * 1024 * 1024, keep: 3 }, minUptimeMs: 10_000,
  });
  assert.deepEqual(service?.checks.map((check) => check.id), ["running"]);
  // The same service written as a file (argv quoted for YAML): every default the same, bar the threshold.
  const { valid } = configValidators({ source: "lifeguard.yaml", baseDir: "/srv/app" });
  const file = valid(stringify({ state: STATE, services: { python3: { command: ["/usr/bin/python3", "main.py", "$${HOME}", "$$$$", "a b"], "failure-threshold": 1 } } }));
  assert.deepEqual({ ...config, source: "lifeguard.yaml" }, file);
});

test("--max-age watches the output file with log-fresh, and gives a restarted command as long to show life", () => {
  const [service] = quickConfig(["node", "bot.js"], { maxAge: "5m" }, CONTEXT).services;
  assert.deepEqual(service?.checks[1], { id: "log-fresh", kind: "log-fresh", timeoutMs: 5000, alertOnly: false, path: `${ROOT}/quick-node/node.out.log`, journal: null, maxAgeMs: 300_000 });
  assert.equal(service?.policy.failureThreshold, 1);
  assert.equal(service?.policy.startupGraceMs, 300_000);
});

test("without a duration flag the startup grace is the schema's", () => {
  const [service] = quickConfig(["node", "bot.js"], { match: "Update" }, CONTEXT).services;
  assert.equal(service?.policy.startupGraceMs, 60_000);
});

test("--match watches the output's last 100 lines for one match with log-activity", () => {
  const [service] = quickConfig(["node", "bot.js"], { match: "VIX|Position|Update", output: "logs/bot.out" }, CONTEXT).services;
  assert.deepEqual(service?.checks[1], {
    id: "log-activity", kind: "log-activity", timeoutMs: 5000, alertOnly: false,
    path: "/srv/app/logs/bot.out", lines: 100, match: "VIX|Position|Update", min: 1, forbid: null, ignoreCase: false, withinMs: null, timestamp: null, journal: null,
  });
  assert.equal(service?.runner.kind === "process" ? service.runner.output.file : null, "/srv/app/logs/bot.out");
});

test("the other flags set the name, the interval, the state, the listen address and the log format", () => {
  const flags: QuickFlags = { name: "trader", interval: "5s", state: "state", listen: "0.0.0.0:0", logFormat: "json" };
  const config = quickConfig(["python3", "main.py"], flags, { ...CONTEXT, env: { ...CONTEXT.env, LIFEGUARD_TOKEN: TOKEN } });
  assert.equal(config.state, "/srv/app/state/quick-trader");
  assert.deepEqual(config.http, { host: "0.0.0.0", port: 0, token: TOKEN });
  assert.equal(config.log.format, "json");
  assert.equal(config.services[0]?.name, "trader");
  assert.equal(config.services[0]?.intervalMs, 5000);
  assert.equal(config.services[0]?.runner.kind === "process" ? config.services[0].runner.output.file : null, "/srv/app/state/quick-trader/trader.out.log");
});

test("--output-max-size sets the size at which the output file is rotated", () => {
  const [service] = quickConfig(["node", "bot.js"], { output: "logs/bot.out", outputMaxSize: "4KiB" }, CONTEXT).services;
  assert.deepEqual(service?.runner.kind === "process" ? service.runner.output : null, { file: "/srv/app/logs/bot.out", maxBytes: 4096, keep: 3 });
  assert.match(usageMessage(["node"], { outputMaxSize: "1B" }), /^Cannot read --output-max-size: expected at least /);
});

test("--heartbeat writes the heartbeat check document: heartbeat: { max-age }", () => {
  const { document } = buildQuickDocument(["python3", "bot.py"], { maxAge: "1m", heartbeat: "2m" }, CONTEXT);
  const service = (document.services as Record<string, Record<string, unknown>>).python3;
  assert.deepEqual(service?.checks, [{ "log-fresh": { path: `${STATE}/python3.out.log`, "max-age": "1m" } }, { heartbeat: { "max-age": "2m" } }]);
  assert.equal(service?.["startup-grace"], "2m", "the longest of the durations");
});

test("--heartbeat adds a heartbeat check", () => {
  const [service] = quickConfig(["python3", "bot.py"], { heartbeat: "2m" }, { ...CONTEXT, env: { ...CONTEXT.env, LIFEGUARD_TOKEN: TOKEN } }).services;
  const check = service?.checks[1] as unknown as Record<string, unknown>;
  assert.equal(check.kind, "heartbeat");
  assert.equal(check.maxAgeMs, 120_000);
  assert.equal(service?.policy.startupGraceMs, 120_000);
});

test("a flag that cannot be read is a usage error naming the flag, not a YAML path", () => {
  assert.equal(usageMessage(["node"], { maxAge: "soon" }), 'Cannot read --max-age: expected a duration like "90s", "5m" or "1h", got "soon"');
  assert.equal(usageMessage(["node"], { maxAge: "0s" }), 'Cannot read --max-age: expected at least "1ms", got "0s"');
  assert.equal(usageMessage(["node"], { match: "(" }), 'Cannot read --match: expected a regular expression (RE2 syntax), got "(" (missing closing ")" in "(")');
  assert.equal(usageMessage(["node"], { interval: "500ms" }), 'Cannot read --interval: expected at least "1s", got "500ms"');
  assert.equal(usageMessage(["node"], { listen: "9473" }), 'Cannot read --listen: expected an address like "127.0.0.1:9473" or "[::1]:9473", got "9473" (the port is missing: write "9473:9473")');
  assert.equal(usageMessage(["node"], { logFormat: "xml" }), 'Cannot read --log-format: expected "text" or "json", got "xml"');
  assert.equal(usageMessage(["node"], { name: "my bot" }), 'Cannot read --name: expected a service name of letters, digits, "_", ".", "@" and "-", starting with a letter or digit, got "my bot"');
  assert.equal(usageMessage([""], {}), 'Cannot read the command after "--": expected the program to run, got ""');
});

test("every problem is reported, each under its flag", () => {
  assert.equal(usageMessage(["node"], { maxAge: "soon", match: "(", state: "" }), [
    "Cannot read the command line (3 problems):",
    '  --state: expected a non-empty string, got ""',
    '  --max-age: expected a duration like "90s", "5m" or "1h", got "soon"',
    '  --match: expected a regular expression (RE2 syntax), got "(" (missing closing ")" in "(")',
  ].join("\n"));
});

test("the token comes from $LIFEGUARD_TOKEN and is never quoted; --heartbeat needs it", () => {
  const short = { ...CONTEXT, env: { ...CONTEXT.env, LIFEGUARD_TOKEN: "s3cret" } };
  assert.equal(usageMessage(["node"], {}, short), "Cannot read $LIFEGUARD_TOKEN: expected a token of at least 16 characters, got 6 (the token is not shown)");
  assert.equal(quickConfig(["node"], {}, { ...CONTEXT, env: { ...CONTEXT.env, LIFEGUARD_TOKEN: "" } }).http.token, null, "empty is unset");
  assert.equal(usageMessage(["node"], { heartbeat: "2m" }),
    "Cannot read --heartbeat: expected $LIFEGUARD_TOKEN to be set for the pings, got none (Lifeguard refuses pings without a token)");
});

test("a state directory that cannot be chosen is a usage error", () => {
  assert.equal(usageMessage(["node"], {}, { ...CONTEXT, env: {} }),
    "Cannot choose a state directory as none of $LIFEGUARD_STATE, $XDG_STATE_HOME and $HOME is set: pass --state DIR");
  assert.equal(quickConfig(["node"], {}, { ...CONTEXT, env: {}, isRoot: true }).state, "/var/lib/lifeguard/quick-node");
});

test("each command keeps its store and output in a directory of its own under the state root", () => {
  const a = quickConfig(["python3", "a.py"], { name: "bot-a" }, CONTEXT);
  const b = quickConfig(["python3", "b.py"], { name: "bot-b" }, CONTEXT);
  assert.equal(a.state, `${ROOT}/quick-bot-a`);
  assert.equal(b.state, `${ROOT}/quick-bot-b`);
  const outputOf = (config: typeof a) => (config.services[0]?.runner.kind === "process" ? config.services[0].runner.output.file : null);
  assert.equal(outputOf(a), `${ROOT}/quick-bot-a/bot-a.out.log`);
  assert.equal(outputOf(b), `${ROOT}/quick-bot-b/bot-b.out.log`);
});

test("advice carries --state unless every command of the user finds the root by itself", () => {
  const addressOf = (flags: QuickFlags, context: QuickContext = CONTEXT) => quickConfig(["node"], flags, context).services[0]?.policy.cliAddress;
  assert.deepEqual(addressOf({}), [], "$HOME's default");
  assert.deepEqual(addressOf({}, { ...CONTEXT, env: {}, isRoot: true }), [], "root's /var/lib/lifeguard");
  assert.deepEqual(addressOf({ state: "state" }), ["--state", "/srv/app/state"], "given: absolute, for any directory");
  assert.deepEqual(addressOf({ state: "/var/lib/lifeguard" }, { ...CONTEXT, isRoot: true }), ["--state", "/var/lib/lifeguard"]);
  assert.deepEqual(addressOf({}, { ...CONTEXT, env: { ...CONTEXT.env, LIFEGUARD_STATE: "/data/lg" } }), ["--state", "/data/lg"], "another shell may lack the variable");
  assert.deepEqual(addressOf({}, { ...CONTEXT, env: { ...CONTEXT.env, XDG_STATE_HOME: "/home/bot/.st" } }), ["--state", "/home/bot/.st/lifeguard"]);
});
