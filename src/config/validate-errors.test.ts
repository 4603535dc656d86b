import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { MAX_SERVICES, validateConfig } from "./validate.js";

/** The formatted issues of an invalid text, in file order. */
function issuesOf(text: string, env: Record<string, string> = {}): string[] {
  const result = validateConfig(text, { source: "lifeguard.yaml", baseDir: "/etc/lifeguard", env });
  if (result.ok) assert.fail("expected the config to be invalid");
  return result.issues.map(formatConfigIssue);
}

/** A service `trader` with `lines` added under it (indented by four spaces). */
function service(...lines: string[]): string {
  return ["services:", "  trader:", "    systemd: trader", ...lines.map((line) => `    ${line}`)].join("\n");
}

test("a malformed duration names what was expected and what was got", () => {
  assert.deepEqual(issuesOf(service("interval: 5 minutes")), [
    'lifeguard.yaml:4:15: services.trader.interval: expected a duration like "90s", "5m" or "1h", got "5 minutes"',
  ]);
});

test("a bare number as a duration gets a hint", () => {
  assert.deepEqual(issuesOf(service("interval: 30")), [
    "lifeguard.yaml:4:15: services.trader.interval: expected a duration with a unit, got the bare number 30 (write 30s, 5m or 1h)",
  ]);
});

test("a duration below its minimum is refused", () => {
  assert.deepEqual(issuesOf(service("interval: 500ms")), ['lifeguard.yaml:4:15: services.trader.interval: expected at least "1s", got "500ms"']);
});

test("a malformed or bare size is refused", () => {
  assert.deepEqual(issuesOf("retention: { max-size: lots, max-age: 30 }\n" + service()), [
    'lifeguard.yaml:1:24: retention.max-size: expected a size like "512KiB", "10MiB" or "1GB", got "lots"',
    "lifeguard.yaml:1:39: retention.max-age: expected a duration with a unit, got the bare number 30 (write 30s, 5m or 1h)",
  ]);
  assert.deepEqual(issuesOf("log: { file: /l.log, max-size: 4096 }\n" + service()), [
    "lifeguard.yaml:1:32: log.max-size: expected a size with a unit, got the bare number 4096 (write 4096B, 10MiB or 1GB)",
  ]);
});

test("an unknown key is pointed at, with a did-you-mean when one is close", () => {
  assert.deepEqual(issuesOf(service("checks:", "  - log-fresh:", "      path: /a.log", "      max_age: 5m")), [
    'lifeguard.yaml:5:9: services.trader.checks[0].max-age: missing required key; expected a duration like "90s", "5m" or "1h"',
    'lifeguard.yaml:7:11: services.trader.checks[0].max_age: unknown key "max_age"; did you mean "max-age"?',
  ]);
  assert.deepEqual(issuesOf(service("failureThreshold: 3")), ['lifeguard.yaml:4:5: services.trader.failureThreshold: unknown key "failureThreshold"; did you mean "failure-threshold"?']);
});

test("an unknown key far from every known one lists the known keys", () => {
  assert.deepEqual(issuesOf(`${service()}\nnotifications: {}\n`), ['lifeguard.yaml:4:1: notifications: unknown key "notifications" (known: state, log, retention, http, deadman, services, privilege, alerts, alerting)']);
});

test("an unknown check kind gets a did-you-mean and the known kinds", () => {
  assert.deepEqual(issuesOf(service("checks:", "  - log-fresj: { path: /a.log, max-age: 5m }", "  - runing", "  - websocket: { url: x }")), [
    'lifeguard.yaml:5:9: services.trader.checks[0]: unknown check kind "log-fresj"; did you mean "log-fresh"? (known: running, log-fresh, log-activity, heartbeat, http, tcp, exec, memory, cpu, connection)',
    'lifeguard.yaml:6:9: services.trader.checks[1]: unknown check kind "runing"; did you mean "running"? (known: running, log-fresh, log-activity, heartbeat, http, tcp, exec, memory, cpu, connection)',
    'lifeguard.yaml:7:9: services.trader.checks[2]: unknown check kind "websocket" (known: running, log-fresh, log-activity, heartbeat, http, tcp, exec, memory, cpu, connection)',
  ]);
});

test("a check item must hold exactly one kind", () => {
  assert.deepEqual(issuesOf(service("checks:", "  - log-fresh: { path: /a.log, max-age: 5m }", "    running: {}", "  - {}", "  - 42", "  - running:")), [
    'lifeguard.yaml:5:9: services.trader.checks[0]: expected one check kind per list item, got 2 ("log-fresh", "running"); start each check with "- "',
    'lifeguard.yaml:7:9: services.trader.checks[1]: expected a check like "running" or "log-fresh: {...}", got an empty map',
    'lifeguard.yaml:8:9: services.trader.checks[2]: expected a check like "running" or "log-fresh: {...}", got 42',
    "lifeguard.yaml:9:9: services.trader.checks[3]: expected a map of running options, got an empty value",
  ]);
});

test("a bare kind whose options are required reports the missing options", () => {
  assert.deepEqual(issuesOf(service("checks: [log-fresh]")), [
    'lifeguard.yaml:4:14: services.trader.checks[0].max-age: missing required key; expected a duration like "90s", "5m" or "1h"',
  ]);
});

test("a service without systemd or command is pointed at by its name", () => {
  assert.deepEqual(issuesOf("services:\n  trader:\n    interval: 30s\n"), [
    'lifeguard.yaml:2:3: services.trader: expected exactly one of "systemd" or "command", got neither (e.g. systemd: gemini-trader.service, or command: [python3, main.py])',
  ]);
  assert.deepEqual(issuesOf("services:\n  trader:\n"), ["lifeguard.yaml:2:3: services.trader: expected a map, got an empty value"]);
});

test("unit names that systemctl could misread are refused", () => {
  assert.deepEqual(issuesOf('services:\n  a: { systemd: --now }\n  b: { systemd: /etc/systemd/system/b.service }\n  c: { systemd: "b c" }\n  d: { systemd: "" }\n'), [
    'lifeguard.yaml:2:17: services.a.systemd: expected a systemd unit like "gemini-trader.service", got "--now" (it must not start with "-")',
    'lifeguard.yaml:3:17: services.b.systemd: expected a systemd unit like "gemini-trader.service", got "/etc/systemd/system/b.service" (it must not contain "/"; give the unit name, not its file)',
    'lifeguard.yaml:4:17: services.c.systemd: expected a systemd unit like "gemini-trader.service", got "b c" (it must not contain spaces or control characters)',
    'lifeguard.yaml:5:17: services.d.systemd: expected a systemd unit like "gemini-trader.service", got "" (it is empty)',
  ]);
});

test("an invalid service name is pointed at by its key", () => {
  assert.deepEqual(issuesOf('services:\n  "my bot": { systemd: bot }\n  -x: { systemd: x }\n'), [
    'lifeguard.yaml:2:3: services["my bot"]: expected a service name of letters, digits, "_", ".", "@" and "-", starting with a letter or digit, got "my bot"',
    'lifeguard.yaml:3:3: services.-x: expected a service name of letters, digits, "_", ".", "@" and "-", starting with a letter or digit, got "-x"',
  ]);
});

test("regular expressions must compile, and the regex error is given", () => {
  assert.deepEqual(issuesOf(service("checks:", '  - log-activity: { path: /a.log, match: "VIX|(", forbid: "[a-" }')), [
    'lifeguard.yaml:5:46: services.trader.checks[0].match: expected a regular expression (RE2 syntax), got "VIX|(" (missing closing ")" in "VIX|(")',
    'lifeguard.yaml:5:63: services.trader.checks[0].forbid: expected a regular expression (RE2 syntax), got "[a-" (missing closing "]" in "[a-")',
  ]);
});

test("a pattern that needs backtracking is refused, saying which construct and why", () => {
  assert.deepEqual(issuesOf(service("checks:", String.raw`  - log-activity: { path: /a.log, match: '(\w+) \1', forbid: "Error(?!: retrying)" }`)), [
    String.raw`lifeguard.yaml:5:46: services.trader.checks[0].match: expected a regular expression (RE2 syntax), got "(\\w+) \\1" (backreference "\1" is not supported: Lifeguard matches in linear time (RE2), which rules out backreferences and lookaround)`,
    'lifeguard.yaml:5:66: services.trader.checks[0].forbid: expected a regular expression (RE2 syntax), got "Error(?!: retrying)" (lookahead "(?!" is not supported: Lifeguard matches in linear time (RE2), which rules out backreferences and lookaround)',
  ]);
});

test("an unset environment variable names the variable and the default syntax", () => {
  assert.deepEqual(issuesOf(service("checks:", "  - log-fresh: { path: ${LOG_DIR}/t.log, max-age: 5m }")), [
    "lifeguard.yaml:5:28: services.trader.checks[0].path: environment variable \"LOG_DIR\" is not set (write ${LOG_DIR:-/fallback} for a default)",
  ]);
});

test("a malformed variable reference is an error", () => {
  assert.deepEqual(issuesOf(service("checks:", "  - log-fresh:", "      path: ${1DIR}/t.log", "      max-age: ${AGE", "  - log-activity: { path: /a, match: \"a${}b\" }")), [
    'lifeguard.yaml:6:17: services.trader.checks[0].path: expected ${NAME} or ${NAME:-default}, got "${1DIR}" (write $$ for a literal "$")',
    'lifeguard.yaml:7:20: services.trader.checks[0].max-age: expected ${NAME} or ${NAME:-default}, got "${AGE" (write $$ for a literal "$")',
    'lifeguard.yaml:8:42: services.trader.checks[1].match: expected ${NAME} or ${NAME:-default}, got "${}" (write $$ for a literal "$")',
  ]);
});

test("a YAML syntax error keeps the parser's line and column", () => {
  assert.deepEqual(issuesOf("services:\n  trader:\n    systemd: trader\n   interval: 30s\n"), [
    "lifeguard.yaml:4:1: invalid YAML: all mapping items must start at the same column",
  ]);
  assert.deepEqual(issuesOf("services:\n\ttrader: 1\n"), ["lifeguard.yaml:2:1: invalid YAML: tabs are not allowed as indentation"]);
  assert.deepEqual(issuesOf("services:\n  trader: systemd: trader\n"), ["lifeguard.yaml:2:11: invalid YAML: nested mappings are not allowed in compact mappings"]);
  assert.deepEqual(issuesOf("services: {}\n---\nservices: {}\n"), ["lifeguard.yaml:2:1: invalid YAML: expected one document, got several (a line \"---\" starts another)"]);
});

test("a duplicate key is an error naming the first one", () => {
  assert.deepEqual(issuesOf(service("interval: 30s", "interval: 1m")), ['lifeguard.yaml:5:5: services.trader.interval: duplicate key "interval" (already set on line 4)']);
});

test("wrong types say what was expected and what was got", () => {
  assert.deepEqual(
    issuesOf(
      [
        "state: [a]",
        "log: { format: xml, keep: 2.5 }",
        "services:",
        "  trader:",
        "    systemd: trader",
        "    failure-threshold: two",
        "    checks: { running: {} }",
        "    restart: []",
        "  other:",
        "    systemd: 42",
        "    checks:",
        "      - log-activity: { path: /a, match: x, ignore-case: yes, lines: 0 }",
      ].join("\n"),
    ),
    [
      "lifeguard.yaml:1:1: state: expected a string, got a list",
      'lifeguard.yaml:2:16: log.format: expected "text" or "json", got "xml"',
      "lifeguard.yaml:2:27: log.keep: expected an integer, got 2.5",
      'lifeguard.yaml:6:24: services.trader.failure-threshold: expected an integer, got "two"',
      "lifeguard.yaml:7:5: services.trader.checks: expected a list, got a map",
      "lifeguard.yaml:8:5: services.trader.restart: expected a map, got a list",
      "lifeguard.yaml:10:14: services.other.systemd: expected a string, got 42",
      'lifeguard.yaml:12:58: services.other.checks[0].ignore-case: expected true or false, got "yes"',
      "lifeguard.yaml:12:70: services.other.checks[0].lines: expected at least 1, got 0",
    ],
  );
});

test("an empty file, or one with only comments, is an error", () => {
  assert.deepEqual(issuesOf(""), ['lifeguard.yaml: the file is empty; expected a map with at least "services"']);
  assert.deepEqual(issuesOf("# nothing here yet\n\n"), ['lifeguard.yaml: the file is empty; expected a map with at least "services"']);
});

test("a file must be a map with at least one service", () => {
  assert.deepEqual(issuesOf("- trader\n"), ["lifeguard.yaml:1:1: expected a map, got a list"]);
  assert.deepEqual(issuesOf("services: {}\n"), ["lifeguard.yaml:1:1: services: expected at least one service, got none"]);
  assert.deepEqual(issuesOf("state: /x\n"), ['lifeguard.yaml:1:1: services: missing required key; expected a map of services, e.g. "trader: { systemd: gemini-trader.service }"']);
});

test("backoff max must be at least initial", () => {
  assert.deepEqual(issuesOf(service("restart:", "  backoff: { initial: 1m, max: 30s }")), [
    'lifeguard.yaml:5:36: services.trader.restart.backoff.max: expected at least backoff.initial ("1m"), got "30s"',
  ]);
});

test("a service lists running at most once", () => {
  assert.deepEqual(issuesOf(service("checks: [running, { running: { timeout: 1s } }]")), [
    'lifeguard.yaml:4:23: services.trader.checks[1]: expected one "running" check per service, got another (first at checks[0])',
  ]);
});

test("a forensics dump signal needs the file it writes, and a file needs its signal; an unknown signal is refused", () => {
  assert.deepEqual(issuesOf(service("forensics: { signal: SIGUSR1 }")), [
    "lifeguard.yaml:4:26: services.trader.forensics.signal: expected the file the bot writes its dump to on SIGUSR1 (forensics.file), got none",
  ]);
  assert.deepEqual(issuesOf(service("forensics: { file: /tmp/stacks.txt }")), [
    "lifeguard.yaml:4:24: services.trader.forensics.file: expected the signal that makes the bot write this file (forensics.signal), got none",
  ]);
  assert.equal(issuesOf(service("forensics: { signal: SIGKILL, file: /tmp/stacks.txt }")).length, 1);
  assert.equal(validateConfig(service('forensics: { exec: [py-spy, dump, --pid, "{pid}"], timeout: 3s }'), { source: "lifeguard.yaml", baseDir: "/etc/lifeguard", env: {} }).ok, true);
});

test("two services cannot watch the same unit", () => {
  assert.deepEqual(issuesOf("services:\n  a: { systemd: bot }\n  b: { systemd: bot.service }\n"), [
    'lifeguard.yaml:3:17: services.b.systemd: expected a unit no other service watches, got "bot.service" (already watched by service "a")',
  ]);
});

test("log rotation needs a log file", () => {
  assert.deepEqual(issuesOf(`log: { max-size: 10MiB }\n${service()}`), [
    "lifeguard.yaml:1:18: log.max-size: expected a log file to rotate, got none (set log.file, or remove max-size: standard output is not rotated)",
  ]);
});

test("every issue is reported, in file order", () => {
  const issues = issuesOf(["stat: /x", "services:", "  trader:", "    systemd: -t", "    interval: 1", "    restart: { limit: { max: 0 } }"].join("\n"));
  assert.deepEqual(issues, [
    'lifeguard.yaml:1:1: stat: unknown key "stat"; did you mean "state"?',
    'lifeguard.yaml:4:14: services.trader.systemd: expected a systemd unit like "gemini-trader.service", got "-t" (it must not start with "-")',
    "lifeguard.yaml:5:15: services.trader.interval: expected a duration with a unit, got the bare number 1 (write 30s, 5m or 1h)",
    "lifeguard.yaml:6:30: services.trader.restart.limit.max: expected at least 1, got 0",
  ]);
});

test("a value whose interpolation failed is not reported twice", () => {
  assert.deepEqual(issuesOf(service("interval: ${INTERVAL}")), [
    'lifeguard.yaml:4:15: services.trader.interval: environment variable "INTERVAL" is not set (write ${INTERVAL:-/fallback} for a default)',
  ]);
});

test("more services than any host runs are refused before the schema reads them", () => {
  const services = Array.from({ length: MAX_SERVICES + 1 }, (_, index) => `  s${index}: { command: [/bin/true] }`);
  assert.deepEqual(issuesOf(["services:", ...services].join("\n")), [`lifeguard.yaml:1:1: services: expected at most ${MAX_SERVICES} services, got ${MAX_SERVICES + 1} (one Lifeguard watches the services of one host)`]);
});

test("a YAML bomb (aliases of aliases) is refused, not expanded", () => {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ..."bcdefghi".split("").map((name, index) => `${name}: &${name} [${Array(10).fill(`*${"abcdefghi"[index]}`).join(", ")}]`)];
  assert.deepEqual(issuesOf([...levels, "services: { t: { systemd: t } }"].join("\n")), [
    "lifeguard.yaml:1:1: invalid YAML: its aliases (*name) expand to far more data than the file holds, as a YAML bomb does; write the values out or use fewer aliases",
  ]);
});

test("privilege is polkit or sudo, and nothing else", () => {
  assert.deepEqual(issuesOf(`${service()}\nprivilege: doas\n`), ['lifeguard.yaml:4:12: privilege: expected "polkit" or "sudo", got "doas"']);
});

test("a log-activity timestamp format that cannot work is refused with the reason", () => {
  assert.deepEqual(issuesOf(service("checks:", '  - log-activity: { path: /a.log, match: Update, within: 5m, timestamp: "%H:%M:%S" }')), [
    'lifeguard.yaml:5:77: services.trader.checks[0].timestamp: "%H:%M:%S" lacks %Y %m %d: a timestamp needs at least %Y %m %d %H %M',
  ]);
});

test("a log check names its log once: a path or a journal", () => {
  assert.deepEqual(issuesOf(service("checks:", "  - log-fresh: { path: /a.log, journal: bot, max-age: 5m }", "  - log-activity: { match: Update }")), [
    'lifeguard.yaml:5:45: services.trader.checks[0].journal: expected "path" or "journal", got both (a log is a file or a unit\'s journal)',
    'lifeguard.yaml:6:9: services.trader.checks[1]: expected "path" (a log file) or "journal" (a systemd unit whose journal is the log), got neither',
  ]);
});

test("a journal's unit name is checked as systemd's are", () => {
  assert.deepEqual(issuesOf(service("checks:", "  - log-fresh: { journal: -bot, max-age: 5m }")), [
    'lifeguard.yaml:5:31: services.trader.checks[0].journal: expected a systemd unit like "gemini-trader.service", got "-bot" (it must not start with "-")',
  ]);
});

test("a memory check names a size without its unit and a measure it does not know", () => {
  const issues = issuesOf(service("checks:", "  - memory: { max: 500, measure: rsz, restart-before-oom: 10m }"));
  assert.equal(issues.length, 2, issues.join("\n"));
  assert.match(issues[0] as string, /services\.trader\.checks\[0\]\.max: expected a size with a unit, got the bare number 500 \(write 500B, 10MiB or 1GB\)$/);
  assert.match(issues[1] as string, /services\.trader\.checks\[0\]\.measure: .*"rss".*"pss"/);
});

test("a memory check normalises to bytes and ms, with its defaults", () => {
  const result = validateConfig(service("checks:", "  - memory: { max: 500MiB, restart-before-oom: 10m }"), { source: "lifeguard.yaml", baseDir: "/etc/lifeguard", env: {} });
  assert.ok(result.ok);
  assert.deepEqual(result.config.services[0]?.checks.find((check) => check.kind === "memory"), {
    kind: "memory", id: "memory", timeoutMs: 5000, alertOnly: false,
    maxBytes: 500 * 2 ** 20, measure: "rss", of: "service", restartBeforeOomMs: 600_000, windowMs: 600_000, warmupMs: 120_000,
  });
});
