import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { validateConfig } from "./validate.js";
import { configValidators } from "../testing/validate-helpers.js";

// A service is a systemd unit (`systemd`) or a command Lifeguard supervises itself (`command`).

const options = { source: "lifeguard.yaml", baseDir: "/srv/app", env: {} };

const { valid, onlyService } = configValidators(options);

function issuesOf(text: string): string[] {
  const result = validateConfig(text, options);
  if (result.ok) assert.fail("expected the config to be invalid");
  return result.issues.map(formatConfigIssue);
}

/** A service `bot` with `lines` under it (indented by four spaces). */
function bot(...lines: string[]): string {
  return ["services:", "  bot:", ...lines.map((line) => `    ${line}`)].join("\n");
}

test("a command service normalises every key to exact values", () => {
  const service = onlyService(`
state: /var/lib/lifeguard
services:
  bot:
    command: [python3, main.py, --name, "my bot"]
    cwd: /home/bot/app
    env: { PYTHONUNBUFFERED: "1", API_URL: "\${API_URL:-http://127.0.0.1:8080}" }
    user: bot
    output: { file: /var/log/bot.out.log, max-size: 1MiB, keep: 5 }
    min-uptime: 30s
    checks:
      - log-fresh: { path: /var/log/bot.out.log, max-age: 5m }
`);
  assert.deepEqual(service.runner, {
    kind: "process",
    command: ["python3", "main.py", "--name", "my bot"],
    cwd: "/home/bot/app",
    env: { PYTHONUNBUFFERED: "1", API_URL: "http://127.0.0.1:8080" },
    user: "bot",
    output: { file: "/var/log/bot.out.log", maxBytes: 1024 ** 2, keep: 5 },
    minUptimeMs: 30_000,
  });
  assert.equal(service.target, 'python3 main.py --name "my bot"');
});

test("a command service gets every default; its output goes next to the store", () => {
  const service = onlyService("state: /var/lib/lifeguard\nservices:\n  bot:\n    command: [python3, main.py]\n");
  assert.deepEqual(service.runner, {
    kind: "process",
    command: ["python3", "main.py"],
    cwd: null,
    env: {},
    user: null,
    output: { file: "/var/lib/lifeguard/bot.out.log", maxBytes: 10 * 1024 ** 2, keep: 3 },
    minUptimeMs: 10_000,
  });
});

test("a command service is checked for running first, as a systemd service is", () => {
  const service = onlyService(bot("command: [./bot]", "checks:", "  - log-fresh: { path: bot.log, max-age: 5m }"));
  assert.deepEqual(service.checks.map((check) => check.id), ["running", "log-fresh"]);
});

test("cwd and output.file are relative to the config file's directory; the default output follows a relative state", () => {
  const config = valid("state: .lifeguard\nservices:\n  a:\n    command: [python3, main.py]\n    cwd: bot\n    output: { file: ../log/a.out }\n  b:\n    command: [b]\n");
  const runners = config.services.map((service) => service.runner);
  assert.deepEqual(runners.map((runner) => (runner.kind === "process" ? [runner.cwd, runner.output.file] : null)), [
    ["/srv/app/bot", "/srv/log/a.out"],
    [null, "/srv/app/.lifeguard/b.out.log"],
  ]);
});

test("a service's target is its unit, or its command line shortened", () => {
  const config = valid(`
services:
  unit: { systemd: gemini-trader }
  short: { command: [python3, main.py] }
  quoted: { command: [bot, "two words", ""] }
  long: { command: [/usr/local/bin/a-rather-long-program-name, --with, arguments] }
`);
  assert.deepEqual(config.services.map((service) => service.target), [
    "gemini-trader.service",
    "python3 main.py",
    'bot "two words" ""',
    "/usr/local/bin/a-rather-long-program-...",
  ]);
});

test("a service with both systemd and command is one error at its name; its other keys are still checked", () => {
  assert.deepEqual(issuesOf(bot("systemd: bot", "command: [python3, main.py]", "interval: 5")), [
    'lifeguard.yaml:2:3: services.bot: expected exactly one of "systemd" or "command", got both',
    "lifeguard.yaml:5:15: services.bot.interval: expected a duration with a unit, got the bare number 5 (write 30s, 5m or 1h)",
  ]);
});

test("a service with neither systemd nor command is one error at its name", () => {
  assert.deepEqual(issuesOf(bot("cwd: /srv", "interval: 30s")), [
    'lifeguard.yaml:2:3: services.bot: expected exactly one of "systemd" or "command", got neither (e.g. systemd: gemini-trader.service, or command: [python3, main.py])',
  ]);
});

test("a command written as a string says to write a list, built from its words when that is safe", () => {
  assert.deepEqual(issuesOf(bot("command: python3 main.py --fast")), [
    'lifeguard.yaml:3:14: services.bot.command: expected a list of the program and its arguments, got the string "python3 main.py --fast"; write it as a list: command: [python3, main.py, --fast] (Lifeguard runs no shell)',
  ]);
  assert.deepEqual(issuesOf(bot("command: sleep 30")), [
    'lifeguard.yaml:3:14: services.bot.command: expected a list of the program and its arguments, got the string "sleep 30"; write it as a list: command: [sleep, "30"] (Lifeguard runs no shell)',
  ]);
  assert.deepEqual(issuesOf(bot(`command: "python3 -c 'print(1)' | tee out"`)), [
    `lifeguard.yaml:3:14: services.bot.command: expected a list of the program and its arguments, got the string "python3 -c 'print(1)' | tee out"; write it as a list, e.g. command: [python3, main.py] (Lifeguard runs no shell)`,
  ]);
});

test("a command must be a non-empty list of strings with a program first", () => {
  assert.deepEqual(issuesOf(["services:", "  a: { command: [] }", '  b: { command: ["", x] }', "  c: { command: [sleep, 30] }", "  d: { command: { run: x } }", "  e: { command: }"].join("\n")), [
    "lifeguard.yaml:2:8: services.a.command: expected the program and its arguments, got an empty list (e.g. command: [python3, main.py])",
    'lifeguard.yaml:3:18: services.b.command[0]: expected the program to run, got ""',
    'lifeguard.yaml:4:25: services.c.command[1]: expected a string, got 30 (write it in quotes, "30", to keep it text)',
    "lifeguard.yaml:5:8: services.d.command: expected a list of the program and its arguments, got a map (e.g. command: [python3, main.py])",
    "lifeguard.yaml:6:8: services.e.command: expected a list of the program and its arguments, got an empty value (e.g. command: [python3, main.py])",
  ]);
});

test("env takes variable names and string values, and never repeats a value", () => {
  assert.deepEqual(issuesOf(bot("command: [bot]", "env: { PORT: 8080, DEBUG: true, BAD-NAME: x, 1ST: y, OK: z }")), [
    "lifeguard.yaml:4:18: services.bot.env.PORT: expected a string, got a number (write the value in quotes to keep it text)",
    "lifeguard.yaml:4:31: services.bot.env.DEBUG: expected a string, got true or false (write the value in quotes to keep it text)",
    'lifeguard.yaml:4:37: services.bot.env.BAD-NAME: expected a variable name of letters, digits and "_", not starting with a digit, got "BAD-NAME"',
    'lifeguard.yaml:4:50: services.bot.env.1ST: expected a variable name of letters, digits and "_", not starting with a digit, got "1ST"',
  ]);
});

test("user, cwd, output and min-uptime are checked like every field", () => {
  assert.deepEqual(issuesOf(bot("command: [bot]", "user: 1000", 'cwd: ""', "output: { max-size: 100B, keep: -1, rotate: yes }", "min-uptime: 30")), [
    'lifeguard.yaml:4:11: services.bot.user: expected a string, got 1000 (write it in quotes, "1000", to keep it text)',
    'lifeguard.yaml:5:10: services.bot.cwd: expected a non-empty string, got ""',
    'lifeguard.yaml:6:25: services.bot.output.max-size: expected at least "1KiB", got "100B"',
    "lifeguard.yaml:6:37: services.bot.output.keep: expected at least 0, got -1",
    'lifeguard.yaml:6:41: services.bot.output.rotate: unknown key "rotate" (known: file, max-size, keep)',
    "lifeguard.yaml:7:17: services.bot.min-uptime: expected a duration with a unit, got the bare number 30 (write 30s, 5m or 1h)",
  ]);
});

test("keys of a command service are refused in a systemd service, by name, once", () => {
  assert.deepEqual(issuesOf(bot("systemd: bot", "cwd: 5", "env: {}", "user: bot", "output: { max-size: lots }", "min-uptime: 3s")), [
    'lifeguard.yaml:4:5: services.bot.cwd: "cwd" applies only to a service with "command", not to one with "systemd"',
    'lifeguard.yaml:5:5: services.bot.env: "env" applies only to a service with "command", not to one with "systemd"',
    'lifeguard.yaml:6:5: services.bot.user: "user" applies only to a service with "command", not to one with "systemd"',
    'lifeguard.yaml:7:5: services.bot.output: "output" applies only to a service with "command", not to one with "systemd"',
    'lifeguard.yaml:8:5: services.bot.min-uptime: "min-uptime" applies only to a service with "command", not to one with "systemd"',
  ]);
});

test("systemctl-timeout is refused in a command service", () => {
  assert.deepEqual(issuesOf(bot("command: [python3, main.py]", "systemctl-timeout: 5s")), [
    'lifeguard.yaml:4:5: services.bot.systemctl-timeout: "systemctl-timeout" applies only to a service with "systemd", not to one with "command"',
  ]);
});

test("two writers of one output file are refused, the watchdog log included", () => {
  assert.deepEqual(issuesOf(["log: { file: lifeguard.log }", "services:", "  a: { command: [a], output: { file: /srv/app/lifeguard.log } }", "  b: { command: [b], output: { file: shared.log } }", "  c: { command: [c], output: { file: ./shared.log } }"].join("\n")), [
    'lifeguard.yaml:3:38: services.a.output.file: expected a file nothing else writes, got "/srv/app/lifeguard.log" (already written by log.file)',
    'lifeguard.yaml:5:38: services.c.output.file: expected a file nothing else writes, got "/srv/app/shared.log" (already written by service "b")',
  ]);
});

test("a unit and a command may sit side by side", () => {
  const config = valid("services:\n  trader: { systemd: trader }\n  bot: { command: [python3, main.py] }\n");
  assert.deepEqual(config.services.map((service) => service.runner.kind), ["systemd", "process"]);
});
