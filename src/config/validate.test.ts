import { test } from "node:test";
import assert from "node:assert/strict";
import type { ServiceConfig } from "./types.js";
import { validateConfig } from "./validate.js";
import { configValidators } from "../testing/validate-helpers.js";

const options = { source: "/etc/lifeguard/lifeguard.yaml", baseDir: "/etc/lifeguard", env: {} };

const { valid, onlyService } = configValidators(options);

const FULL_EXAMPLE = `
state: /var/lib/lifeguard
log: { file: /var/log/lifeguard.log, format: text, max-size: 10MiB, keep: 3 }
retention: { max-age: 90d, max-size: 64MiB }
deadman: { url: "https://hc-ping.example/abc-key", interval: 1m, timeout: 10s, method: GET }
services:
  trader:
    systemd: gemini-trader.service
    systemctl-timeout: 10s
    interval: 30s
    checks:
      - running: { timeout: 10s }
      - log-fresh: { path: /home/bot/logs/gemini_trader.log, max-age: 5m }
      - log-activity: { path: /home/bot/logs/gemini_trader.log, lines: 100, match: "VIX|Position|Update", min: 1, forbid: Traceback, ignore-case: false }
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

test("the full example normalises to exact values", () => {
  assert.deepEqual(valid(FULL_EXAMPLE), {
    source: "/etc/lifeguard/lifeguard.yaml",
    state: "/var/lib/lifeguard",
    cliAddress: [],
    log: { file: "/var/log/lifeguard.log", format: "text", maxBytes: 10 * 1024 ** 2, keep: 3 },
    retention: { maxAgeMs: 90 * 86_400_000, maxBytes: 64 * 1024 ** 2 },
    http: { host: "127.0.0.1", port: 9473, token: null },
    deadman: { url: "https://hc-ping.example/abc-key", intervalMs: 60_000, timeoutMs: 10_000, method: "GET" },
    privilege: "polkit",
    services: [
      {
        name: "trader",
        target: "gemini-trader.service",
        runner: { kind: "systemd", unit: "gemini-trader.service", commandTimeoutMs: 10_000, installUnit: null },
        intervalMs: 30_000,
        checks: [
          { id: "running", kind: "running", timeoutMs: 10_000, alertOnly: false },
          { id: "log-fresh", kind: "log-fresh", timeoutMs: 5000, alertOnly: false, path: "/home/bot/logs/gemini_trader.log", journal: null, maxAgeMs: 300_000 },
          {
            id: "log-activity", kind: "log-activity", timeoutMs: 5000, alertOnly: false, path: "/home/bot/logs/gemini_trader.log",
            lines: 100, match: "VIX|Position|Update", min: 1, forbid: "Traceback", ignoreCase: false, withinMs: null, timestamp: null, journal: null,
          },
        ],
        restart: { stopTimeoutMs: 10_000, killWaitMs: 2000, verifyTimeoutMs: 30_000 },
        forensics: { enabled: true, exec: null, signal: null, file: null, timeoutMs: 2000 },
        policy: {
          failureThreshold: 2,
          startupGraceMs: 60_000,
          limit: { max: 3, perMs: 3_600_000 },
          backoff: { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000, minUptimeMs: null },
          rearmAfterMs: 6 * 3_600_000,
          cliAddress: [],
          schedule: { active: [], quiet: [] },
        },
        alerts: [],
      },
    ],
    channels: [],
    alerting: {
      retry: { initialMs: 30_000, maxMs: 900_000 }, expireMs: 86_400_000, dedupeMs: 600_000,
      flapping: { max: 4, perMs: 900_000 }, remindMs: null, lifecycle: true,
    },
  });
});

test("a minimal config gets every default", () => {
  assert.deepEqual(valid("services:\n  trader:\n    systemd: trader\n"), {
    source: "/etc/lifeguard/lifeguard.yaml",
    state: "/var/lib/lifeguard",
    cliAddress: [],
    log: { file: null, format: "text", maxBytes: null, keep: 3 },
    retention: { maxAgeMs: 90 * 86_400_000, maxBytes: 64 * 1024 ** 2 },
    http: { host: "127.0.0.1", port: 9473, token: null },
    deadman: null,
    privilege: "polkit",
    services: [
      {
        name: "trader",
        target: "trader.service",
        runner: { kind: "systemd", unit: "trader.service", commandTimeoutMs: 10_000, installUnit: null },
        intervalMs: 30_000,
        checks: [{ id: "running", kind: "running", timeoutMs: 10_000, alertOnly: false }],
        restart: { stopTimeoutMs: 10_000, killWaitMs: 2000, verifyTimeoutMs: 30_000 },
        forensics: { enabled: true, exec: null, signal: null, file: null, timeoutMs: 2000 },
        policy: {
          failureThreshold: 2,
          startupGraceMs: 60_000,
          limit: { max: 3, perMs: 3_600_000 },
          backoff: { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000, minUptimeMs: null },
          rearmAfterMs: null,
          cliAddress: [],
          schedule: { active: [], quiet: [] },
        },
        alerts: [],
      },
    ],
    channels: [],
    alerting: {
      retry: { initialMs: 30_000, maxMs: 900_000 }, expireMs: 86_400_000, dedupeMs: 600_000,
      flapping: { max: 4, perMs: 900_000 }, remindMs: null, lifecycle: true,
    },
  });
});

test("check options get their defaults", () => {
  const service = onlyService(`
services:
  trader:
    systemd: trader
    checks:
      - log-fresh: { path: /a.log, max-age: 5m }
      - log-activity: { path: /a.log, match: Update }
`);
  assert.deepEqual(service.checks.slice(1), [
    { id: "log-fresh", kind: "log-fresh", timeoutMs: 5000, alertOnly: false, path: "/a.log", journal: null, maxAgeMs: 300_000 },
    { id: "log-activity", kind: "log-activity", timeoutMs: 5000, alertOnly: false, path: "/a.log", lines: 100, match: "Update", min: 1, forbid: null, ignoreCase: false, withinMs: null, timestamp: null, journal: null },
  ]);
});

test("every check accepts timeout and alert-only", () => {
  const service = onlyService(`
services:
  trader:
    systemd: trader
    checks:
      - log-fresh: { path: /a.log, max-age: 5m, timeout: 2s, alert-only: true }
`);
  assert.deepEqual(service.checks[1], { id: "log-fresh", kind: "log-fresh", timeoutMs: 2000, alertOnly: true, path: "/a.log", journal: null, maxAgeMs: 300_000 });
});

test("a listed running check keeps its options and comes first, once", () => {
  const service = onlyService(`
services:
  trader:
    systemd: trader
    checks:
      - log-fresh: { path: /a.log, max-age: 5m }
      - running: { timeout: 3s, alert-only: true }
`);
  assert.deepEqual(service.checks.map((check) => [check.id, check.timeoutMs, check.alertOnly]), [["running", 3000, true], ["log-fresh", 5000, false]]);
});

test("a bare kind name is a check with default options", () => {
  const service = onlyService("services:\n  trader:\n    systemd: trader\n    checks: [running]\n");
  assert.deepEqual(service.checks, [{ id: "running", kind: "running", timeoutMs: 10_000, alertOnly: false }]);
});

test("repeated kinds get ids kind, kind#2, kind#3", () => {
  const service = onlyService(`
services:
  trader:
    systemd: trader
    checks:
      - log-fresh: { path: /a.log, max-age: 5m }
      - log-activity: { path: /a.log, match: A }
      - log-fresh: { path: /b.log, max-age: 1m }
      - log-fresh: { path: /c.log, max-age: 1h }
`);
  assert.deepEqual(service.checks.map((check) => check.id), ["running", "log-fresh", "log-activity", "log-fresh#2", "log-fresh#3"]);
});

test("unit names get .service unless they carry a unit suffix", () => {
  const config = valid(`
services:
  a: { systemd: gemini-trader }
  b: { systemd: worker@1 }
  c: { systemd: backup.timer }
  d: { systemd: my.bot }
  e: { systemd: api.service }
`);
  assert.deepEqual(config.services.map((service) => service.target), ["gemini-trader.service", "worker@1.service", "backup.timer", "my.bot.service", "api.service"]);
});

test("services keep the file's order and names", () => {
  const config = valid("services:\n  zeta: { systemd: z }\n  alpha: { systemd: a }\n  my.bot@2_x-y: { systemd: m }\n");
  assert.deepEqual(config.services.map((service) => service.name), ["zeta", "alpha", "my.bot@2_x-y"]);
});

test("relative paths resolve against the config file's directory", () => {
  const config = validateConfig(
    "state: state\nlog: { file: ../log/lifeguard.log }\nservices:\n  t:\n    systemd: t\n    checks:\n      - log-fresh: { path: logs/t.log, max-age: 5m }\n      - log-activity: { path: /abs/t.log, match: x }\n",
    { source: "/srv/app/lifeguard.yaml", baseDir: "/srv/app", env: {} },
  );
  assert.ok(config.ok);
  assert.equal(config.config.state, "/srv/app/state");
  assert.equal(config.config.log.file, "/srv/log/lifeguard.log");
  assert.deepEqual(config.config.services[0]?.checks.map((check) => ("path" in check ? check.path : null)), [null, "/srv/app/logs/t.log", "/abs/t.log"]);
});

test("inline text resolves relative paths against the given directory", () => {
  const result = validateConfig("state: .lifeguard\nservices: { t: { systemd: t } }\n", { source: "<inline>", baseDir: "/home/me/project", env: {} });
  assert.ok(result.ok);
  assert.equal(result.config.source, "<inline>");
  assert.equal(result.config.state, "/home/me/project/.lifeguard");
});

test("durations and sizes accept every unit", () => {
  const config = valid(`
log: { file: /l.log, max-size: 512k }
retention: { max-age: 1w, max-size: 1GB }
services:
  t:
    systemd: t
    interval: 1h30m
    startup-grace: 0s
    restart: { kill-wait: 250ms, rearm-after: 1.5h }
`);
  assert.equal(config.log.maxBytes, 512 * 1024);
  assert.deepEqual(config.retention, { maxAgeMs: 7 * 86_400_000, maxBytes: 1e9 });
  const service = config.services[0] as ServiceConfig;
  assert.equal(service.intervalMs, 5_400_000);
  assert.equal(service.policy.startupGraceMs, 0);
  assert.equal(service.restart.killWaitMs, 250);
  assert.equal(service.policy.rearmAfterMs, 5_400_000);
});

test("the DESIGN.md style of interpolation inside a flow map works", () => {
  const service = onlyService("services:\n  t:\n    systemd: ${UNIT}\n    checks:\n      - log-fresh: { path: ${LOG_DIR}/t.log, max-age: ${AGE:-5m} }\n", { UNIT: "bot", LOG_DIR: "/var/log/bot" });
  assert.equal(service.target, "bot.service");
  assert.deepEqual(service.checks[1], { id: "log-fresh", kind: "log-fresh", timeoutMs: 5000, alertOnly: false, path: "/var/log/bot/t.log", journal: null, maxAgeMs: 300_000 });
});

test("YAML anchors, aliases and merge keys work", () => {
  const config = valid(`
services:
  a:
    systemd: a
    restart: &restart { limit: { max: 5, per: 2h } }
  b:
    systemd: b
    restart: *restart
  c:
    <<: { systemd: c, interval: 10s }
`);
  assert.deepEqual(config.services.map((service) => service.policy.limit), [{ max: 5, perMs: 7_200_000 }, { max: 5, perMs: 7_200_000 }, { max: 3, perMs: 3_600_000 }]);
  assert.equal(config.services[2]?.intervalMs, 10_000);
});
