import { test } from "node:test";
import assert from "node:assert/strict";
import { quickConfig, type QuickFlags } from "../config/quick-config.js";
import { rebuildQuickConfig } from "./quick-rebuild.js";
import type { QuickRecord } from "./quick-record.js";

const TOKEN = "quick-rebuild-token-0123456789";

test("a record builds the configuration the quick-mode Lifeguard runs with: same store, output, checks and advice; no token", () => {
  const command = ["python3", "-u", "main.py"];
  const flags: QuickFlags = { name: "trader", maxAge: "5m", match: "Update", heartbeat: "2m", state: "state", output: "logs/out.log", interval: "5s" };
  const env = { HOME: "/home/bot", XDG_STATE_HOME: "/home/bot/.st" };
  const daemon = quickConfig(command, flags, { env: { ...env, LIFEGUARD_TOKEN: TOKEN }, cwd: "/srv/bot", isRoot: false });
  const record: QuickRecord = {
    version: 1, command, flags, cwd: "/srv/bot", env, isRoot: false, token: true, pid: 1, pidStartTime: null, bootId: null, startedAt: 0,
  };
  const rebuilt = rebuildQuickConfig(record);
  assert.deepEqual(rebuilt, { ...daemon, http: { ...daemon.http, token: null } });
  assert.equal(rebuilt.state, "/srv/bot/state/quick-trader");
  assert.deepEqual(rebuilt.services[0]?.policy.cliAddress, ["--state", "/srv/bot/state"]);
});

test("a record of root's default state root rebuilds with the same default, whoever reads it", () => {
  const record: QuickRecord = {
    version: 1, command: ["node", "bot.js"], flags: {}, cwd: "/", env: {}, isRoot: true, token: false, pid: 1, pidStartTime: null, bootId: null, startedAt: 0,
  };
  const rebuilt = rebuildQuickConfig(record);
  assert.equal(rebuilt.state, "/var/lib/lifeguard/quick-node");
  assert.deepEqual(rebuilt.services[0]?.policy.cliAddress, []);
});
