import { test } from "node:test";
import assert from "node:assert/strict";
import { formatConfigIssue } from "../core/errors.js";
import { configValidators } from "../testing/validate-helpers.js";
import { validateConfig } from "./validate.js";

const options = { source: "lifeguard.yaml", baseDir: "/etc/lifeguard" };
const { onlyService } = configValidators(options);

const withChecks = (lines: string[]): string => ["services:", "  bot:", "    systemd: bot", "    checks:", ...lines.map((line) => `      ${line}`)].join("\n");

test("on-unreadable is absent by default (alert) and kept when a check opts in to restarts", () => {
  const service = onlyService(withChecks([
    "- log-fresh: { path: /a.log, max-age: 5m }",
    "- log-fresh: { path: /a.log, max-age: 5m, on-unreadable: alert }",
    "- log-activity: { path: /a.log, match: Update, on-unreadable: restart }",
    "- heartbeat: { max-age: 2m, file: /run/alive, on-unreadable: restart }",
  ]));
  assert.deepEqual(service.checks.map((check) => ("onUnreadable" in check ? check.onUnreadable : "absent")), ["absent", "absent", "absent", "restart", "restart"]);
});

test("on-unreadable takes alert or restart, and only on checks that read a file", () => {
  const result = validateConfig(withChecks(["- log-fresh: { path: /a.log, max-age: 5m, on-unreadable: ignore }", "- running: { on-unreadable: alert }"]), { ...options, env: {} });
  if (result.ok) assert.fail("expected the config to be invalid");
  const issues = result.issues.map(formatConfigIssue);
  assert.equal(issues.length, 2);
  assert.match(issues[0] ?? "", /^lifeguard\.yaml:5:\d+: services\.bot\.checks\[0\]\.on-unreadable: .*"alert".*"restart"/);
  assert.match(issues[1] ?? "", /^lifeguard\.yaml:6:\d+: services\.bot\.checks\[1\]\.on-unreadable: unknown key "on-unreadable"/);
});
